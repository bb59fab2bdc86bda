package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code ReducerOptions}: 0 keep_dims. */
public final class ReducerOptions extends FbTable {
    public ReducerOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public boolean keepDims() throws TfliteFormatException {
        return getBool(0, false);
    }
}
