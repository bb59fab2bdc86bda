package k210studio.kpu.kmodel.v3;

import java.util.Arrays;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.FieldWriter;

/** A growable little-endian byte sink whose position is the absolute file offset. */
final class LeBuffer implements FieldWriter {
    private byte[] data = new byte[4096];
    private int size;
    private String context = "";

    @Override
    public long position() {
        return size;
    }

    /** What errors name before the field, e.g. "layer 3 (ADD) ". */
    void context(String context) {
        this.context = context;
    }

    @Override
    public KmodelFormatException error(long offset, String field, String problem) {
        return new KmodelFormatException(offset, context + field, problem);
    }

    private void ensure(int extra) {
        if (size + extra > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + extra));
        }
    }

    @Override
    public void i32(int v) {
        ensure(4);
        data[size++] = (byte) v;
        data[size++] = (byte) (v >>> 8);
        data[size++] = (byte) (v >>> 16);
        data[size++] = (byte) (v >>> 24);
    }

    @Override
    public void u8(int v) {
        ensure(1);
        data[size++] = (byte) v;
    }

    @Override
    public void zeros(long n) {
        zeroTo(size + n);
    }

    @Override
    public void bytes(byte[] b) {
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
