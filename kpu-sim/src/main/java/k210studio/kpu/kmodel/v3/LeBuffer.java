package k210studio.kpu.kmodel.v3;

import java.util.Arrays;

/** A growable little-endian byte sink whose position is the absolute file offset. */
final class LeBuffer {
    private byte[] data = new byte[4096];
    private int size;

    int position() {
        return size;
    }

    private void ensure(int extra) {
        if (size + extra > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + extra));
        }
    }

    void u32(long v) {
        ensure(4);
        data[size++] = (byte) v;
        data[size++] = (byte) (v >>> 8);
        data[size++] = (byte) (v >>> 16);
        data[size++] = (byte) (v >>> 24);
    }

    void f32(float v) {
        u32(Float.floatToRawIntBits(v));
    }

    void u64(long v) {
        u32(v);
        u32(v >>> 32);
    }

    void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, data, size, b.length);
        size += b.length;
    }

    /** Zero bytes up to the absolute position {@code pos} (no-op when already there). */
    void zeroTo(long pos) {
        if (pos < size) {
            throw new IllegalStateException("cannot move back from " + size + " to " + pos);
        }
        int n = (int) (pos - size);
        ensure(n);
        size += n; // array is zero beyond size
    }

    void alignTo(int a) {
        zeroTo(align(size, a));
    }

    void patchU32(int pos, long v) {
        data[pos] = (byte) v;
        data[pos + 1] = (byte) (v >>> 8);
        data[pos + 2] = (byte) (v >>> 16);
        data[pos + 3] = (byte) (v >>> 24);
    }

    static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }

    byte[] toArray(int length) {
        return Arrays.copyOf(data, length);
    }
}
