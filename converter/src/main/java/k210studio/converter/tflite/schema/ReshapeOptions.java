package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code ReshapeOptions}: 0 new_shape. */
public final class ReshapeOptions extends FbTable {
    public ReshapeOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public int[] newShape() throws TfliteFormatException {
        return intVector(0);
    }

    public boolean hasNewShape() throws TfliteFormatException {
        return has(0);
    }
}
