package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code LeakyReluOptions}: 0 alpha. */
public final class LeakyReluOptions extends FbTable {
    public LeakyReluOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public float alpha() throws TfliteFormatException {
        return getFloat(0, 0f);
    }
}
