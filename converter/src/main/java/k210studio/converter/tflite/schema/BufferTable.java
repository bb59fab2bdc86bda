package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/**
 * Schema table {@code Buffer}: 0 data (inline bytes), 1 offset, 2 size. Since schema 3c large
 * models keep the bytes outside the flatbuffer, at {@code offset} (from the start of the file,
 * valid when &gt; 1) for {@code size} bytes.
 */
public final class BufferTable extends FbTable {
    BufferTable(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    /** The buffer's bytes (inline or external), a little-endian read-only view; empty when none. */
    public ByteBuffer data() throws TfliteFormatException {
        int n = vectorLength(0, 1);
        if (n > 0) {
            return byteVector(0);
        }
        long offset = getLong(1, 0);
        long size = getLong(2, 0);
        if (offset > 1) {
            if (size < 0 || offset + size > bb.limit() || offset + size < 0) {
                throw corrupt("external data at offset " + offset + " with size " + size
                        + " lies outside the " + bb.limit() + "-byte file");
            }
            return slice((int) offset, (int) size);
        }
        return ByteBuffer.allocate(0);
    }
}
