package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code ResizeNearestNeighborOptions}: 0 align_corners, 1 half_pixel_centers. */
public final class ResizeNearestNeighborOptions extends FbTable {
    public ResizeNearestNeighborOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public boolean alignCorners() throws TfliteFormatException {
        return getBool(0, false);
    }

    public boolean halfPixelCenters() throws TfliteFormatException {
        return getBool(1, false);
    }
}
