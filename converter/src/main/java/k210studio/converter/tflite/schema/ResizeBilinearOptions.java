package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code ResizeBilinearOptions}: 0 new_height and 1 new_width (deprecated, still occupying their slots), 2 align_corners, 3 half_pixel_centers. */
public final class ResizeBilinearOptions extends FbTable {
    public ResizeBilinearOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public boolean alignCorners() throws TfliteFormatException {
        return getBool(2, false);
    }

    public boolean halfPixelCenters() throws TfliteFormatException {
        return getBool(3, false);
    }
}
