package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code ConcatenationOptions}: 0 axis, 1 fused_activation_function. */
public final class ConcatenationOptions extends FbTable {
    public ConcatenationOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public int axis() throws TfliteFormatException {
        return getInt(0, 0);
    }

    public int fusedActivation() throws TfliteFormatException {
        return getByte(1, 0);
    }
}
