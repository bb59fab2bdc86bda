package k210studio.kpu.kmodel.v4;

import java.util.Arrays;
import k210studio.kpu.kmodel.v4.body.Bytes;
import k210studio.kpu.kmodel.v4.body.Floats;
import k210studio.kpu.kmodel.v4.body.Ints;
import k210studio.kpu.kmodel.v4.body.Longs;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.QuantParam;
import k210studio.kpu.kmodel.v4.body.Scalar;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.ValueRange;

/** A growable little-endian byte sink whose position is the absolute file offset. */
final class V4ByteWriter {
    private byte[] buf = new byte[4096];
    private int size;

    int position() {
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

    void i32(int v) {
        ensure(4);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
    }

    void u32(long v) {
        i32((int) v);
    }

    void u64(long v) {
        i32((int) v);
        i32((int) (v >>> 32));
    }

    void f32(float v) {
        i32(Float.floatToRawIntBits(v));
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void zeros(long n) {
        ensure(n);
        size += (int) n; // the buffer is zero-filled beyond size
    }

    void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    void memoryRange(MemoryRange r) {
        u32(r.memoryType().code());
        u32(r.dataType().code());
        u32(r.start());
        u32(r.size());
    }

    void shape(Shape4 s) {
        i32(s.d0());
        i32(s.d1());
        i32(s.d2());
        i32(s.d3());
    }

    void padding(Padding p) {
        i32(p.before());
        i32(p.after());
    }

    void valueRange(ValueRange v) {
        f32(v.min());
        f32(v.max());
    }

    void quantParam(QuantParam q) {
        i32(q.zeroPoint());
        f32(q.scale());
    }

    void scalar(Scalar s) {
        i32(s.dataTypeCode());
        i32(s.rawBits());
    }

    void floats(Floats f) {
        for (int i = 0; i < f.length(); i++) {
            f32(f.get(i));
        }
    }

    void ints(Ints v) {
        for (int i = 0; i < v.length(); i++) {
            i32(v.get(i));
        }
    }

    void longs(Longs v) {
        for (int i = 0; i < v.length(); i++) {
            u64(v.get(i));
        }
    }

    void bytes(Bytes b) {
        bytes(b.toArray());
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
