package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code SoftmaxOptions}: 0 beta. */
public final class SoftmaxOptions extends FbTable {
    public SoftmaxOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public float beta() throws TfliteFormatException {
        return getFloat(0, 0f);
    }
}
