package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code OperatorCode}: 0 deprecated_builtin_code (byte), 1 custom_code, 2 version, 3 builtin_code (int). */
public final class OperatorCodeTable extends FbTable {
    OperatorCodeTable(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    /**
     * The builtin operator: the larger of the two code fields (schema 3a: old files fill only the
     * byte-sized deprecated field, codes ≥ 127 exist only in the int field).
     */
    public int builtinCode() throws TfliteFormatException {
        int dep = getByte(0, 0);
        int code = getInt(3, 0);
        return Math.max(dep, code);
    }

    public String customCode() throws TfliteFormatException {
        return string(1);
    }

    public int version() throws TfliteFormatException {
        return getInt(2, 1);
    }
}
