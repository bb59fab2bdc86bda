package k210studio.kpu.kmodel.v4;

import java.util.Arrays;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.FieldWriter;

/** A growable little-endian byte sink whose position is the absolute file offset. */
final class V4ByteWriter implements FieldWriter {
    private byte[] buf = new byte[4096];
    private int size;
    private String context = "";

    @Override
    public long position() {
        return size;
    }

    /** What errors name before the field, e.g. "node 3 (pad)". */
    void context(String context) {
        this.context = context;
    }

    @Override
    public KmodelFormatException error(long offset, String field, String problem) {
        return V4FormatErrors.at(offset, context + " " + field, problem);
    }

    private void ensure(long extra) {
        long need = size + extra;
        if (need > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("kmodel larger than 2 GiB");
        }
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 16L, buf.length * 2L)));
        }
    }

    @Override
    public void i32(int v) {
        ensure(4);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
    }

    @Override
    public void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    @Override
    public void zeros(long n) {
        ensure(n);
        size += (int) n; // the buffer is zero-filled beyond size
    }

    @Override
    public void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** Overwrites 4 bytes at an earlier position. */
    void patchU32(int at, long v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
        buf[at + 2] = (byte) (v >>> 16);
        buf[at + 3] = (byte) (v >>> 24);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
