package k210studio.kpu.kmodel.layout;

import java.util.Arrays;

/** A growable little-endian {@link FieldWriter} whose position is the absolute file offset. */
public abstract class ByteSink implements FieldWriter {
    private byte[] buf = new byte[4096];
    private int size;
    private String context = "";

    /** What errors name before the field, e.g. "node 3 (pad)" or "layer 3 (ADD) ". */
    public final void context(String context) {
        this.context = context;
    }

    public final String context() {
        return context;
    }

    @Override
    public final long position() {
        return size;
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
    public final void i32(int v) {
        ensure(4);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
    }

    @Override
    public final void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    @Override
    public final void zeros(long n) {
        if (n < 0) {
            throw new IllegalStateException("cannot move back from " + size + " to " + (size + n));
        }
        ensure(n);
        size += (int) n; // the buffer is zero-filled beyond size
    }

    @Override
    public final void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** Overwrites 4 bytes at an earlier position. */
    public final void patchU32(int at, long v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
        buf[at + 2] = (byte) (v >>> 16);
        buf[at + 3] = (byte) (v >>> 24);
    }

    /** The first {@code length} bytes written. */
    public final byte[] toByteArray(int length) {
        return Arrays.copyOf(buf, length);
    }
}
