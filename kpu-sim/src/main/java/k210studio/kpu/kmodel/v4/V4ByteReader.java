package k210studio.kpu.kmodel.v4;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.FieldReader;

/**
 * A bounds-checked little-endian cursor over a window {@code [pos, limit)} of the file. Every read
 * checks the window first and fails with the documented format error naming the field, the
 * absolute file offset and the context (e.g. "node 3 (pad)"). Array reads check the byte count
 * against the window before allocating, so no allocation is sized by an unchecked field.
 */
final class V4ByteReader implements FieldReader {
    private final byte[] data;
    private final long limit;
    private final String context;
    private long pos;

    V4ByteReader(byte[] data, long start, long limit, String context) {
        this.data = data;
        this.pos = start;
        this.limit = Math.min(limit, data.length);
        this.context = context;
    }

    @Override
    public long position() {
        return pos;
    }

    @Override
    public long limit() {
        return limit;
    }

    @Override
    public void seek(long position) {
        pos = position;
    }

    @Override
    public KmodelFormatException error(long offset, String field, String problem) {
        return V4FormatErrors.at(offset, context + " " + field, problem);
    }

    @Override
    public void need(long n, String field) throws KmodelFormatException {
        if (n < 0 || n > limit - pos) {
            throw error(pos, field, "needs " + n + " bytes but only " + Math.max(0, limit - pos)
                    + " remain (the " + (limit >= data.length ? "file" : "body") + " ends at 0x"
                    + Long.toHexString(limit) + ")");
        }
    }

    @Override
    public int i32(String field) throws KmodelFormatException {
        need(4, field);
        int p = (int) pos;
        int v = (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF) << 16 | (data[p + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    @Override
    public int u8(String field) throws KmodelFormatException {
        need(1, field);
        return data[(int) pos++] & 0xFF;
    }

    @Override
    public byte[] bytes(long count, String field) throws KmodelFormatException {
        need(count, field);
        byte[] v = new byte[(int) count];
        System.arraycopy(data, (int) pos, v, 0, v.length);
        pos += count;
        return v;
    }

    byte[] rawRest() {
        byte[] v = new byte[(int) (limit - pos)];
        System.arraycopy(data, (int) pos, v, 0, v.length);
        pos = limit;
        return v;
    }
}
