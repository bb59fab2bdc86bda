package k210studio.kpu.kmodel.v4.runtime;

import static k210studio.kpu.kmodel.v4.runtime.NeutralKernels.offset;
import static k210studio.kpu.kmodel.v4.runtime.NeutralKernels.width;
import static k210studio.kpu.kmodel.v4.runtime.V4Arith.satMul;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.ConcatBody;
import k210studio.kpu.kmodel.v4.body.MemoryCopyBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.PadBody;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.StridedSliceBody;
import k210studio.kpu.kmodel.v4.body.TransposeBody;

/**
 * The data-movement neutral ops of the nncase v0.2.0-beta4 runtime (kmodel-v4.md §6): concat, pad, memory_copy
 * (in 4-byte units, as the runtime counts), transpose and strided_slice, type-agnostic (element width from the
 * memory range), in the runtime's loop order so overlapping ranges behave as on the chip.
 */
final class NeutralLayoutKernels {
    private NeutralLayoutKernels() {
    }

    static void concat(ConcatBody b, NodeContext ctx) throws KmodelFormatException {
        long total = 0;
        long inner = b.innerSize();
        long outer = b.outerSize();
        for (int i = 0; i < b.inputs().size(); i++) {
            int d = b.dims().get(i);
            ctx.nonNegative(d, "dims[" + i + "]");
            long size = inner * d;
            if (size > 0 && outer > Long.MAX_VALUE / size) {
                throw ctx.fail("inner_size x dims x outer_size overflows");
            }
            ctx.need(b.inputs().get(i), outer * size, "inputs[" + i + "]");
            total += size;
        }
        if (total > 0 && outer > Long.MAX_VALUE / total) {
            throw ctx.fail("inner_size x dims x outer_size overflows");
        }
        ctx.need(b.output(), outer * total, "output");
        ctx.charge(satMul(outer, Math.max(1, b.inputs().size())) + outer * total);
        byte[] po = ctx.pool(b.output());
        long out = b.output().start();
        for (long oc = 0; oc < outer; oc++) {
            for (int i = 0; i < b.inputs().size(); i++) {
                MemoryRange in = b.inputs().get(i);
                long size = inner * b.dims().get(i);
                System.arraycopy(ctx.pool(in), (int) (in.start() + oc * size), po, (int) out, (int) size);
                out += size;
            }
        }
    }

    static void pad(PadBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long inCount = ctx.count(in, "in_shape");
        int w = width(b.input());
        long[] out = new long[4];
        long outCount = 1;
        for (int i = 0; i < 4; i++) {
            out[i] = Math.max(0, (long) in.get(i) + b.paddings().get(i).before() + b.paddings().get(i).after());
            outCount = satMul(outCount, out[i]);
            if (out[i] == 0) {
                outCount = 0;
            }
        }
        ctx.need(b.input(), inCount * w, "input");
        ctx.need(b.output(), satMul(outCount, w), "output");
        ctx.charge(outCount);
        if (outCount == 0) {
            return;
        }
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        long o = b.output().start();
        int[] before = new int[4];
        int[] after = new int[4];
        for (int i = 0; i < 4; i++) {
            before[i] = b.paddings().get(i).before();
            after[i] = b.paddings().get(i).after();
        }
        // pad_value.as<T>(): the first byte for uint8, the 4 raw bytes for 4-byte elements
        int raw = b.padValue().rawBits();
        for (long d0 = 0; d0 < out[0]; d0++) {
            for (long d1 = 0; d1 < out[1]; d1++) {
                for (long d2 = 0; d2 < out[2]; d2++) {
                    for (long d3 = 0; d3 < out[3]; d3++) {
                        boolean padded = d0 < before[0] || d0 >= out[0] - after[0] || d1 < before[1]
                                || d1 >= out[1] - after[1] || d2 < before[2] || d2 >= out[2] - after[2]
                                || d3 < before[3] || d3 >= out[3] - after[3];
                        if (padded) {
                            if (w == 1) {
                                po[(int) o] = (byte) raw;
                            } else {
                                Le.i32(po, o, raw);
                            }
                        } else {
                            long src = offset(in, d0 - before[0], d1 - before[1], d2 - before[2], d3 - before[3]);
                            System.arraycopy(pi, (int) (b.input().start() + src * w), po, (int) o, w);
                        }
                        o += w;
                    }
                }
            }
        }
    }

    static void memoryCopy(MemoryCopyBody b, NodeContext ctx) throws KmodelFormatException {
        // memory_at<float>: the copy covers floor(size / 4) floats, i.e. whole 4-byte units only
        long bytes = b.input().size() / 4 * 4;
        ctx.need(b.output(), bytes, "output");
        ctx.charge(bytes / 4);
        System.arraycopy(ctx.pool(b.input()), (int) b.input().start(), ctx.pool(b.output()), (int) b.output().start(),
                (int) bytes);
    }

    static void transpose(TransposeBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long count = ctx.count(in, "in_shape");
        int[] perm = b.perm().toArray();
        boolean[] seen = new boolean[4];
        for (int p : perm) {
            if (p < 0 || p > 3 || seen[p]) {
                throw ctx.fail("perm " + b.perm() + " is not a permutation of 0..3");
            }
            seen[p] = true;
        }
        int w = width(b.input());
        ctx.need(b.input(), count * w, "input");
        ctx.need(b.output(), count * w, "output");
        ctx.charge(count);
        if (count == 0) {
            return;
        }
        int[] os = new int[4];
        for (int i = 0; i < 4; i++) {
            os[i] = in.get(perm[i]);
        }
        Shape4 outShape = Shape4.of(os);
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        int[] i = new int[4];
        int[] o = new int[4];
        for (o[3] = 0; o[3] < os[3]; o[3]++) {
            i[perm[3]] = o[3];
            for (o[2] = 0; o[2] < os[2]; o[2]++) {
                i[perm[2]] = o[2];
                for (o[1] = 0; o[1] < os[1]; o[1]++) {
                    i[perm[1]] = o[1];
                    for (o[0] = 0; o[0] < os[0]; o[0]++) {
                        i[perm[0]] = o[0];
                        long src = b.input().start() + offset(in, i[0], i[1], i[2], i[3]) * w;
                        long dst = b.output().start() + offset(outShape, o[0], o[1], o[2], o[3]) * w;
                        System.arraycopy(pi, (int) src, po, (int) dst, w);
                    }
                }
            }
        }
    }

    static void stridedSlice(StridedSliceBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long inCount = ctx.count(in, "in_shape");
        int w = width(b.input());
        long outCount = 1;
        for (int a = 0; a < 4; a++) {
            long begin = b.begin().get(a), end = b.end().get(a), stride = b.strides().get(a);
            if (stride == 0) {
                throw ctx.fail("strides[" + a + "] is 0 (the slice loop would never end)");
            }
            long n = stride > 0 ? Math.max(0, (end - begin + stride - 1) / stride)
                    : Math.max(0, (begin - end + (-stride) - 1) / (-stride));
            if (n > 0) {
                long last = begin + (n - 1) * stride;
                if (begin < 0 || begin >= in.get(a) || last < 0 || last >= in.get(a)) {
                    throw ctx.fail("slice " + begin + ":" + end + ":" + stride + " of axis " + a
                            + " leaves in_shape " + in);
                }
            }
            outCount = n == 0 ? 0 : satMul(outCount, n);
            if (outCount == 0) {
                break;
            }
        }
        ctx.need(b.input(), inCount * w, "input");
        ctx.need(b.output(), satMul(outCount, w), "output");
        ctx.charge(outCount);
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        long o = b.output().start();
        if (outCount == 0) {
            return;
        }
        Shape4 bg = b.begin(), en = b.end(), st = b.strides();
        for (long d0 = bg.d0(); cond(d0, en.d0(), st.d0()); d0 += st.d0()) {
            for (long d1 = bg.d1(); cond(d1, en.d1(), st.d1()); d1 += st.d1()) {
                for (long d2 = bg.d2(); cond(d2, en.d2(), st.d2()); d2 += st.d2()) {
                    for (long d3 = bg.d3(); cond(d3, en.d3(), st.d3()); d3 += st.d3()) {
                        System.arraycopy(pi, (int) (b.input().start() + offset(in, d0, d1, d2, d3) * w), po, (int) o, w);
                        o += w;
                    }
                }
            }
        }
    }

    private static boolean cond(long i, long stop, long stride) {
        return stride > 0 ? i < stop : i > stop;
    }
}
