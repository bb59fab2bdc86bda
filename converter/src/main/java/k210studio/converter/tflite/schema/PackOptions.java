package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code PackOptions}: 0 values_count, 1 axis. */
public final class PackOptions extends FbTable {
    public PackOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public int valuesCount() throws TfliteFormatException {
        return getInt(0, 0);
    }

    public int axis() throws TfliteFormatException {
        return getInt(1, 0);
    }
}
