package k210studio.kpu.kmodel.v4;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.BinaryOp;
import k210studio.kpu.kmodel.v4.body.Bytes;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.Floats;
import k210studio.kpu.kmodel.v4.body.Ints;
import k210studio.kpu.kmodel.v4.body.Longs;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.QuantParam;
import k210studio.kpu.kmodel.v4.body.ReduceOp;
import k210studio.kpu.kmodel.v4.body.ResizeMode;
import k210studio.kpu.kmodel.v4.body.Scalar;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.UnaryOp;
import k210studio.kpu.kmodel.v4.body.ValueRange;

/**
 * A bounds-checked little-endian cursor over a window {@code [pos, limit)} of the file. Every read
 * checks the window first and fails with the documented format error naming the field, the
 * absolute file offset and the context (e.g. "node 3 (pad)"). Array reads check the byte count
 * against the window before allocating, so no allocation is sized by an unchecked field.
 */
final class V4ByteReader {
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

    long position() {
        return pos;
    }

    long limit() {
        return limit;
    }

    long remaining() {
        return limit - pos;
    }

    String context() {
        return context;
    }

    KmodelFormatException error(long offset, String field, String problem) {
        return V4FormatErrors.at(offset, context + " " + field, problem);
    }

    private void need(long n, String field) throws KmodelFormatException {
        if (n < 0 || n > limit - pos) {
            throw error(pos, field, "needs " + n + " bytes but only " + Math.max(0, limit - pos)
                    + " remain (the " + (limit >= data.length ? "file" : "body") + " ends at 0x"
                    + Long.toHexString(limit) + ")");
        }
    }

    void skip(long n, String field) throws KmodelFormatException {
        need(n, field);
        pos += n;
    }

    int i32(String field) throws KmodelFormatException {
        need(4, field);
        int p = (int) pos;
        int v = (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF) << 16 | (data[p + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    long u32(String field) throws KmodelFormatException {
        return i32(field) & 0xFFFF_FFFFL;
    }

    long u64(String field) throws KmodelFormatException {
        long lo = u32(field);
        long hi = u32(field);
        return lo | (hi << 32);
    }

    float f32(String field) throws KmodelFormatException {
        return Float.intBitsToFloat(i32(field));
    }

    int u8(String field) throws KmodelFormatException {
        need(1, field);
        return data[(int) pos++] & 0xFF;
    }

    /** A non-negative int32 (counts, sizes); fails on negative values. */
    int count(String field) throws KmodelFormatException {
        long at = pos;
        int v = i32(field);
        if (v < 0) {
            throw error(at, field, "is negative (" + v + ")");
        }
        return v;
    }

    MemoryRange memoryRange(String field) throws KmodelFormatException {
        long at = pos;
        long type = u32(field + ".memory_type");
        long dtype = u32(field + ".datatype");
        long start = u32(field + ".start");
        long size = u32(field + ".size");
        MemoryType mt = MemoryType.ofCode(type);
        if (mt == null) {
            throw error(at, field + ".memory_type", "is " + type + "; V4 knows 0 (const), 1 (main), 2 (k210_kpu)");
        }
        DataType dt = DataType.ofCode(dtype);
        if (dt == null) {
            throw error(at + 4, field + ".datatype", "is " + dtype + "; V4 knows 0 (float32), 1 (uint8)");
        }
        return new MemoryRange(mt, dt, start, size);
    }

    Shape4 shape(String field) throws KmodelFormatException {
        return new Shape4(i32(field + "[0]"), i32(field + "[1]"), i32(field + "[2]"), i32(field + "[3]"));
    }

    Padding padding(String field) throws KmodelFormatException {
        return new Padding(i32(field + ".before"), i32(field + ".after"));
    }

    ValueRange valueRange(String field) throws KmodelFormatException {
        return new ValueRange(f32(field + ".min"), f32(field + ".max"));
    }

    QuantParam quantParam(String field) throws KmodelFormatException {
        return new QuantParam(i32(field + ".zero_point"), f32(field + ".scale"));
    }

    Scalar scalar(String field) throws KmodelFormatException {
        return new Scalar(i32(field + ".datatype"), i32(field + ".value"));
    }

    BinaryOp binaryOp(String field) throws KmodelFormatException {
        long at = pos;
        long v = u32(field);
        BinaryOp op = BinaryOp.ofCode(v);
        if (op == null) {
            throw error(at, field, "is " + v + "; binary_op_t is 0..5 (add, sub, mul, div, min, max)");
        }
        return op;
    }

    UnaryOp unaryOp(String field) throws KmodelFormatException {
        long at = pos;
        long v = u32(field);
        UnaryOp op = UnaryOp.ofCode(v);
        if (op == null) {
            throw error(at, field, "is " + v + "; unary_op_t is 0..9 (abs .. square)");
        }
        return op;
    }

    ReduceOp reduceOp(String field) throws KmodelFormatException {
        long at = pos;
        long v = u32(field);
        ReduceOp op = ReduceOp.ofCode(v);
        if (op == null) {
            throw error(at, field, "is " + v + "; reduce_op_t is 0..3 (mean, min, max, sum)");
        }
        return op;
    }

    ResizeMode resizeMode(String field) throws KmodelFormatException {
        long at = pos;
        long v = u32(field);
        ResizeMode m = ResizeMode.ofCode(v);
        if (m == null) {
            throw error(at, field, "is " + v + "; image_resize_mode_t is 0 (bilinear) or 1 (nearest_neighbor)");
        }
        return m;
    }

    Floats floats(long count, String field) throws KmodelFormatException {
        need(count * 4, field);
        float[] v = new float[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = f32(field);
        }
        return Floats.of(v);
    }

    Ints ints(long count, String field) throws KmodelFormatException {
        need(count * 4, field);
        int[] v = new int[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = i32(field);
        }
        return Ints.of(v);
    }

    Longs longs(long count, String field) throws KmodelFormatException {
        need(count * 8, field);
        long[] v = new long[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = u64(field);
        }
        return Longs.of(v);
    }

    Bytes bytes(long count, String field) throws KmodelFormatException {
        need(count, field);
        byte[] v = new byte[(int) count];
        System.arraycopy(data, (int) pos, v, 0, v.length);
        pos += count;
        return Bytes.of(v);
    }

    byte[] rawRest() {
        byte[] v = new byte[(int) (limit - pos)];
        System.arraycopy(data, (int) pos, v, 0, v.length);
        pos = limit;
        return v;
    }
}
