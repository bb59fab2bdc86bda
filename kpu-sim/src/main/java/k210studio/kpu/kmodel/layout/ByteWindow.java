package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * A {@link FieldReader} over a window {@code [position, limit)} of a file's bytes: little-endian
 * reads that check the window first ({@link #need}, whose message is the format's own).
 */
public abstract class ByteWindow implements FieldReader {
    private final byte[] data;
    private long pos;
    private long limit;

    protected ByteWindow(byte[] data, long start, long limit) {
        this.data = data;
        window(start, limit);
    }

    /** Moves the window: reads continue at {@code start} and stop at {@code limit} (clipped to the file). */
    protected final void window(long start, long limit) {
        this.pos = start;
        this.limit = Math.min(limit, data.length);
    }

    /** Bytes in the whole file. */
    public final int fileLength() {
        return data.length;
    }

    @Override
    public final long position() {
        return pos;
    }

    @Override
    public final long limit() {
        return limit;
    }

    @Override
    public final void seek(long position) {
        pos = position;
    }

    @Override
    public final int i32(String field) throws KmodelFormatException {
        need(4, field);
        int p = (int) pos;
        pos += 4;
        return (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF) << 16 | (data[p + 3] & 0xFF) << 24;
    }

    @Override
    public final int u8(String field) throws KmodelFormatException {
        need(1, field);
        return data[(int) pos++] & 0xFF;
    }

    @Override
    public final byte[] bytes(long count, String field) throws KmodelFormatException {
        need(count, field);
        byte[] v = new byte[(int) count];
        System.arraycopy(data, (int) pos, v, 0, v.length);
        pos += count;
        return v;
    }
}
