package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code SqueezeOptions}: 0 squeeze_dims. */
public final class SqueezeOptions extends FbTable {
    public SqueezeOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public int[] squeezeDims() throws TfliteFormatException {
        return intVector(0);
    }
}
