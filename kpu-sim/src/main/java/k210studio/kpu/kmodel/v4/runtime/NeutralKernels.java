package k210studio.kpu.kmodel.v4.runtime;

import static k210studio.kpu.kmodel.v4.runtime.V4Arith.clamp;
import static k210studio.kpu.kmodel.v4.runtime.V4Arith.satMul;
import static k210studio.kpu.kmodel.v4.runtime.V4Arith.windowedOutputSize;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.BinaryBody;
import k210studio.kpu.kmodel.v4.body.BinaryOp;
import k210studio.kpu.kmodel.v4.body.ConcatBody;
import k210studio.kpu.kmodel.v4.body.Conv2dBody;
import k210studio.kpu.kmodel.v4.body.Conv2dTransposeBody;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.DequantizeBody;
import k210studio.kpu.kmodel.v4.body.MatmulBody;
import k210studio.kpu.kmodel.v4.body.MemoryCopyBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.PadBody;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.QuantizeBody;
import k210studio.kpu.kmodel.v4.body.ReduceBody;
import k210studio.kpu.kmodel.v4.body.ReduceOp;
import k210studio.kpu.kmodel.v4.body.ReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.ResizeImageBody;
import k210studio.kpu.kmodel.v4.body.ResizeMode;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.SoftmaxBody;
import k210studio.kpu.kmodel.v4.body.StridedSliceBody;
import k210studio.kpu.kmodel.v4.body.TableLookup1dBody;
import k210studio.kpu.kmodel.v4.body.TransposeBody;
import k210studio.kpu.kmodel.v4.body.UnaryBody;
import k210studio.kpu.kmodel.v4.body.UnaryOp;
import k210studio.kpu.kmodel.v4.body.ValueRange;

/**
 * The float and type-agnostic neutral ops of the nncase v0.2.0-beta4 runtime (kmodel-v4.md §6),
 * with its quirks: element counts taken from the memory ranges where the runtime does so
 * (dequantize, quantize, unary, memory_copy in 4-byte units, reduce-mean's factor), pad value from
 * the body (0 in every ncc file), conv2d_transpose ignoring its bias, the clamp applied only for a
 * non-full activation range in conv2d_transpose. Loops run in the runtime's order, so in-place
 * (overlapping) ranges behave as on the chip.
 */
final class NeutralKernels {
    private NeutralKernels() {
    }

    static int width(MemoryRange r) {
        return r.dataType().bytes();
    }

    static long offset(Shape4 s, long i0, long i1, long i2, long i3) {
        return ((i0 * s.d1() + i1) * s.d2() + i2) * s.d3() + i3;
    }

    private static float binaryOp(BinaryOp op, float a, float b) {
        switch (op) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case MIN: return V4Arith.min(a, b);
            default: return V4Arith.max(a, b);
        }
    }

    static void binary(BinaryBody b, NodeContext ctx) throws KmodelFormatException {
        long na = ctx.count(b.inAShape(), "in_a_shape");
        long nb = ctx.count(b.inBShape(), "in_b_shape");
        long no = ctx.count(b.outShape(), "out_shape");
        ctx.need(b.inputA(), na * 4, "input_a");
        ctx.need(b.inputB(), nb * 4, "input_b");
        ctx.need(b.output(), no * 4, "output");
        if (no > 0 && (na == 0 || nb == 0)) {
            throw ctx.fail("an empty input cannot be broadcast to out_shape " + b.outShape());
        }
        ctx.charge(no);
        if (no == 0) {
            return; // an empty axis: nothing is written (and the other loops must not spin)
        }
        byte[] pa = ctx.pool(b.inputA());
        byte[] pb = ctx.pool(b.inputB());
        byte[] po = ctx.pool(b.output());
        Shape4 sa = b.inAShape();
        Shape4 sb = b.inBShape();
        Shape4 so = b.outShape();
        ValueRange act = b.fusedActivation();
        for (int d0 = 0; d0 < so.d0(); d0++) {
            for (int d1 = 0; d1 < so.d1(); d1++) {
                for (int d2 = 0; d2 < so.d2(); d2++) {
                    for (int d3 = 0; d3 < so.d3(); d3++) {
                        long ia = offset(sa, red(d0, sa.d0()), red(d1, sa.d1()), red(d2, sa.d2()), red(d3, sa.d3()));
                        long ib = offset(sb, red(d0, sb.d0()), red(d1, sb.d1()), red(d2, sb.d2()), red(d3, sb.d3()));
                        float a = Le.f32(pa, b.inputA().start() + ia * 4);
                        float v = Le.f32(pb, b.inputB().start() + ib * 4);
                        float r = clamp(binaryOp(b.op(), a, v), act.min(), act.max());
                        Le.f32(po, b.output().start() + offset(so, d0, d1, d2, d3) * 4, r);
                    }
                }
            }
        }
    }

    /** get_reduced_offset for one axis: index 0 where the input is smaller than the output index. */
    static int red(int index, int extent) {
        return index >= extent ? 0 : index;
    }

    /** Checks shared by conv2d and quantized_conv2d; returns {out_h, out_w, g_ic, g_oc}. */
    static long[] convGeometry(NodeContext ctx, Shape4 in, int groups, int outChannels, Padding ph, Padding pw,
            int fh, int fw, int sh, int sw, int dh, int dw) throws KmodelFormatException {
        ctx.count(in, "in_shape");
        ctx.positive(groups, "groups");
        ctx.positive(sh, "stride_h");
        ctx.positive(sw, "stride_w");
        ctx.positive(dh, "dilation_h");
        ctx.positive(dw, "dilation_w");
        long outH = Math.max(0, windowedOutputSize(in.d2(), fh, sh, dh, ph.before(), ph.after()));
        long outW = Math.max(0, windowedOutputSize(in.d3(), fw, sw, dw, pw.before(), pw.after()));
        return new long[] {outH, outW, in.d1() / groups, outChannels / groups};
    }

    static void conv2d(Conv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long[] g = convGeometry(ctx, in, b.groups(), b.outChannels(), b.paddingH(), b.paddingW(), b.filterH(),
                b.filterW(), b.strideH(), b.strideW(), b.dilationH(), b.dilationW());
        long outH = g[0], outW = g[1];
        int gIc = (int) g[2], gOc = (int) g[3];
        int groups = b.groups();
        ctx.needType(b.input(), DataType.FLOAT32, "input");
        ctx.need(b.input(), in.product() * 4, "input");
        ctx.need(b.output(), satMul(in.d0(), (long) groups * gOc, outH, outW, 4), "output");
        ctx.charge(satMul(in.d0(), (long) groups * gOc, outH, outW, Math.max(1, (long) gIc * b.filterH() * b.filterW())));
        if (outH == 0 || outW == 0 || gOc == 0 || in.d0() == 0) {
            return;
        }
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        float[] w = b.weights().toArray();
        float[] bias = b.bias().toArray();
        ValueRange act = b.fusedActivation();
        long hw = (long) in.d2() * in.d3();
        long out = b.output().start();
        for (int batch = 0; batch < in.d0(); batch++) {
            long inBatch = b.input().start() + (long) batch * in.d1() * hw * 4;
            for (int og = 0; og < groups; og++) {
                long inGroup = inBatch + (long) og * gIc * hw * 4;
                int wGroup = og * gOc * gIc * b.filterH() * b.filterW();
                for (int oc = 0; oc < gOc; oc++) {
                    int wOc = wGroup + oc * gIc * b.filterH() * b.filterW();
                    for (long oy = 0; oy < outH; oy++) {
                        for (long ox = 0; ox < outW; ox++) {
                            long inY0 = oy * b.strideH() - b.paddingH().before();
                            long inX0 = ox * b.strideW() - b.paddingW().before();
                            int[] ky = filterRange(inY0, b.dilationH(), b.filterH(), in.d2());
                            int[] kx = filterRange(inX0, b.dilationW(), b.filterW(), in.d3());
                            float value = bias[og * gOc + oc];
                            for (int ic = 0; ic < gIc; ic++) {
                                long inC = inGroup + ic * hw * 4;
                                int wIc = wOc + ic * b.filterH() * b.filterW();
                                for (int y = ky[0]; y < ky[1]; y++) {
                                    long iy = inY0 + (long) b.dilationH() * y;
                                    for (int x = kx[0]; x < kx[1]; x++) {
                                        long ix = inX0 + (long) b.dilationW() * x;
                                        value += Le.f32(pi, inC + (iy * in.d3() + ix) * 4) * w[wIc + y * b.filterW() + x];
                                    }
                                }
                            }
                            Le.f32(po, out, clamp(value, act.min(), act.max()));
                            out += 4;
                        }
                    }
                }
            }
        }
    }

    /** [start, end) of filter taps inside the input for a window origin (kernel_utils semantics). */
    static int[] filterRange(long origin, int dilation, int filter, int size) {
        long start = Math.max(0, (-origin + dilation - 1) / dilation);
        long end = Math.min(filter, (size - origin + dilation - 1) / dilation);
        return new int[] {(int) start, (int) Math.max(start, end)};
    }

    static void dequantize(DequantizeBody b, NodeContext ctx) throws KmodelFormatException {
        long count = b.input().size(); // memory_at<uint8_t>(input).size(): bytes of the input range
        ctx.need(b.output(), count * 4, "output");
        ctx.charge(count);
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        float div = 1.f / b.quantParam().scale();
        int zp = b.quantParam().zeroPoint();
        for (long i = 0; i < count; i++) {
            int q = Le.u8(pi, b.input().start() + i);
            Le.f32(po, b.output().start() + i * 4, (q - zp) * div);
        }
    }

    static void quantize(QuantizeBody b, NodeContext ctx) throws KmodelFormatException {
        long count = b.input().size() / 4; // memory_at<float>(input).size()
        ctx.need(b.output(), count, "output");
        ctx.charge(count);
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        float scale = b.quantParam().scale();
        int zp = b.quantParam().zeroPoint();
        for (long i = 0; i < count; i++) {
            float x = Le.f32(pi, b.input().start() + i * 4);
            int q = (int) V4Arith.roundf(x * scale + zp);
            po[(int) (b.output().start() + i)] = (byte) clamp(q, 0, 255);
        }
    }

    static void matmul(MatmulBody b, NodeContext ctx) throws KmodelFormatException {
        long rows = b.aRows(), cols = b.aCols(), bCols = b.bCols();
        ctx.need(b.inputA(), satMul(rows, cols, 4), "input_a");
        ctx.need(b.inputB(), satMul(cols, bCols, 4), "input_b");
        ctx.need(b.output(), satMul(rows, bCols, 4), "output");
        ctx.charge(satMul(rows, bCols, Math.max(1, cols)));
        byte[] pa = ctx.pool(b.inputA());
        byte[] pb = ctx.pool(b.inputB());
        byte[] po = ctx.pool(b.output());
        float[] bias = b.bias().toArray();
        ValueRange act = b.fusedActivation();
        for (long oy = 0; oy < rows; oy++) {
            for (int ox = 0; ox < bCols; ox++) {
                float value = bias[ox];
                for (long i = 0; i < cols; i++) {
                    float a = Le.f32(pa, b.inputA().start() + (oy * cols + i) * 4);
                    float v = Le.f32(pb, b.inputB().start() + (i * bCols + ox) * 4);
                    value += a * v;
                }
                Le.f32(po, b.output().start() + (oy * bCols + ox) * 4, clamp(value, act.min(), act.max()));
            }
        }
    }

    static void reduce(ReduceBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        Shape4 rs = b.outShape();
        long inCount = ctx.count(in, "in_shape");
        long outCount = ctx.count(rs, "out_shape");
        ctx.need(b.input(), inCount * 4, "input");
        ctx.need(b.output(), outCount * 4, "output");
        if (inCount > 0 && outCount == 0) {
            throw ctx.fail("out_shape " + rs + " is empty but in_shape " + in + " is not");
        }
        ctx.charge(inCount + outCount);
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        long os = b.output().start();
        for (long i = 0; i < outCount; i++) {
            Le.f32(po, os + i * 4, b.initValue());
        }
        ReduceOp op = b.op();
        for (int d0 = 0; d0 < in.d0() && inCount > 0; d0++) {
            for (int d1 = 0; d1 < in.d1(); d1++) {
                for (int d2 = 0; d2 < in.d2(); d2++) {
                    for (int d3 = 0; d3 < in.d3(); d3++) {
                        float a = Le.f32(pi, b.input().start() + offset(in, d0, d1, d2, d3) * 4);
                        long at = os + offset(rs, red(d0, rs.d0()), red(d1, rs.d1()), red(d2, rs.d2()), red(d3, rs.d3())) * 4;
                        float acc = Le.f32(po, at);
                        float r;
                        switch (op) {
                            case MIN: r = V4Arith.min(acc, a); break;
                            case MAX: r = V4Arith.max(acc, a); break;
                            default: r = acc + a; break;
                        }
                        Le.f32(po, at, r);
                    }
                }
            }
        }
        if (op == ReduceOp.MEAN) {
            // the runtime scales the whole output RANGE by (output range elements / input range elements)
            long outElems = b.output().size() / 4;
            long inElems = b.input().size() / 4;
            float mul = (float) outElems / inElems;
            ctx.charge(outElems);
            for (long i = 0; i < outElems; i++) {
                Le.f32(po, os + i * 4, Le.f32(po, os + i * 4) * mul);
            }
        }
    }

    static void reduceWindow2d(ReduceWindow2dBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long inCount = ctx.count(in, "in_shape");
        ctx.positive(b.filterH(), "filter_h");
        ctx.positive(b.filterW(), "filter_w");
        ctx.positive(b.strideH(), "stride_h");
        ctx.positive(b.strideW(), "stride_w");
        ctx.positive(b.dilationH(), "dilation_h");
        ctx.positive(b.dilationW(), "dilation_w");
        long outH = Math.max(0, windowedOutputSize(in.d2(), b.filterH(), b.strideH(), b.dilationH(),
                b.paddingH().before(), b.paddingH().after()));
        long outW = Math.max(0, windowedOutputSize(in.d3(), b.filterW(), b.strideW(), b.dilationW(),
                b.paddingW().before(), b.paddingW().after()));
        ctx.need(b.input(), inCount * 4, "input");
        long outCount = satMul((long) in.d0() * in.d1(), outH, outW);
        ctx.need(b.output(), satMul(outCount, 4), "output");
        ctx.charge(satMul(outCount, (long) b.filterH() * b.filterW()));
        if (outCount == 0) {
            return;
        }
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        ValueRange act = b.fusedActivation();
        for (int n = 0; n < in.d0(); n++) {
            for (int c = 0; c < in.d1(); c++) {
                for (long oy = 0; oy < outH; oy++) {
                    for (long ox = 0; ox < outW; ox++) {
                        long inY0 = oy * b.strideH() - b.paddingH().before();
                        long inX0 = ox * b.strideW() - b.paddingW().before();
                        int[] ky = filterRange(inY0, b.dilationH(), b.filterH(), in.d2());
                        int[] kx = filterRange(inX0, b.dilationW(), b.filterW(), in.d3());
                        float value = b.initValue();
                        int taps = 0;
                        for (int y = ky[0]; y < ky[1]; y++) {
                            for (int x = kx[0]; x < kx[1]; x++) {
                                long iy = inY0 + (long) b.dilationH() * y;
                                long ix = inX0 + (long) b.dilationW() * x;
                                float v = Le.f32(pi, b.input().start() + offset(in, n, c, iy, ix) * 4);
                                value = reduceStep(b.op(), value, v);
                                taps++;
                            }
                        }
                        float r = b.op() == ReduceOp.MEAN ? value / taps : value;
                        long o = ((((long) n * in.d1() + c) * outH + oy) * outW + ox) * 4;
                        Le.f32(po, b.output().start() + o, clamp(r, act.min(), act.max()));
                    }
                }
            }
        }
    }

    static float reduceStep(ReduceOp op, float acc, float v) {
        switch (op) {
            case MIN: return V4Arith.min(acc, v);
            case MAX: return V4Arith.max(acc, v);
            default: return acc + v;
        }
    }

    static void resizeImage(ResizeImageBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long inCount = ctx.count(in, "in_shape");
        ctx.nonNegative(b.outH(), "out_h");
        ctx.nonNegative(b.outW(), "out_w");
        int w = width(b.input());
        long outCount = satMul((long) in.d0() * in.d1(), b.outH(), b.outW());
        ctx.need(b.input(), inCount * w, "input");
        ctx.need(b.output(), satMul(outCount, w), "output");
        if (outCount > 0 && (in.d2() == 0 || in.d3() == 0)) {
            throw ctx.fail("cannot resize an empty image " + in);
        }
        ctx.charge(satMul(outCount, 4));
        if (outCount == 0) {
            return;
        }
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        long is = b.input().start();
        long o = b.output().start();
        int ih = in.d2(), iw = in.d3();
        float hScale = (float) ih / b.outH();
        float wScale = (float) iw / b.outW();
        if (b.mode() == ResizeMode.BILINEAR && b.alignCorners() && b.outH() > 1) {
            hScale = (float) (ih - 1) / (b.outH() - 1);
        }
        if (b.mode() == ResizeMode.BILINEAR && b.alignCorners() && b.outW() > 1) {
            wScale = (float) (iw - 1) / (b.outW() - 1);
        }
        for (int n = 0; n < in.d0(); n++) {
            for (int c = 0; c < in.d1(); c++) {
                long plane = ((long) n * in.d1() + c) * ih * iw;
                for (int oy = 0; oy < b.outH(); oy++) {
                    for (int ox = 0; ox < b.outW(); ox++) {
                        if (b.mode() == ResizeMode.NEAREST_NEIGHBOR) {
                            int y = Math.min((int) Math.floor(oy * hScale), ih - 1);
                            int x = Math.min((int) Math.floor(ox * wScale), iw - 1);
                            System.arraycopy(pi, (int) (is + (plane + (long) y * iw + x) * w), po, (int) o, w);
                        } else {
                            float fy = oy * hScale;
                            int y0 = Math.min((int) Math.floor(fy), ih - 1);
                            int y1 = Math.min(y0 + 1, ih - 1);
                            float fx = ox * wScale;
                            int x0 = Math.min((int) Math.floor(fx), iw - 1);
                            int x1 = Math.min(x0 + 1, iw - 1);
                            float v0 = elem(pi, is, plane + (long) y0 * iw + x0, w);
                            float v1 = elem(pi, is, plane + (long) y1 * iw + x0, w);
                            float v2 = elem(pi, is, plane + (long) y0 * iw + x1, w);
                            float v3 = elem(pi, is, plane + (long) y1 * iw + x1, w);
                            float dy = fy - y0;
                            float dx = fx - x0;
                            float a0 = (1 - dy) * (1 - dx);
                            float a1 = dy * (1 - dx);
                            float a2 = (1 - dy) * dx;
                            float a3 = dy * dx;
                            float r = v0 * a0 + v1 * a1 + v2 * a2 + v3 * a3;
                            if (w == 1) {
                                po[(int) o] = (byte) (int) r; // float -> uint8 conversion truncates
                            } else {
                                Le.f32(po, o, r);
                            }
                        }
                        o += w;
                    }
                }
            }
        }
    }

    private static float elem(byte[] p, long start, long index, int w) {
        return w == 1 ? Le.u8(p, start + index) : Le.f32(p, start + index * 4);
    }

    static void softmax(SoftmaxBody b, NodeContext ctx) throws KmodelFormatException {
        ctx.nonNegative(b.outerSize(), "outer_size");
        ctx.nonNegative(b.innerSize(), "inner_size");
        long n = (long) b.outerSize() * b.innerSize();
        if (b.outerSize() > 0 && b.innerSize() == 0) {
            throw ctx.fail("inner_size 0: the max of an empty row is undefined");
        }
        ctx.need(b.input(), n * 4, "input");
        ctx.need(b.output(), n * 4, "output");
        ctx.charge(n * 3);
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        for (long r = 0; r < b.outerSize(); r++) {
            long src = b.input().start() + r * b.innerSize() * 4;
            long dst = b.output().start() + r * b.innerSize() * 4;
            float max = Le.f32(pi, src);
            for (int i = 1; i < b.innerSize(); i++) {
                float v = Le.f32(pi, src + i * 4L);
                if (max < v) {
                    max = v;
                }
            }
            float sum = 0;
            for (int i = 0; i < b.innerSize(); i++) {
                float e = LibmFloat.expf((Le.f32(pi, src + i * 4L) - max) * b.beta());
                sum += e;
                Le.f32(po, dst + i * 4L, e);
            }
            for (int i = 0; i < b.innerSize(); i++) {
                Le.f32(po, dst + i * 4L, Le.f32(po, dst + i * 4L) / sum);
            }
        }
    }

    static float unaryOp(UnaryOp op, float a) {
        switch (op) {
            case ABS: return Math.abs(a);
            case CEIL: return (float) Math.ceil(a);
            case COS: return LibmFloat.cosf(a);
            case EXP: return LibmFloat.expf(a);
            case FLOOR: return (float) Math.floor(a);
            case LOG: return LibmFloat.logf(a);
            case NEG: return -a;
            case RSQRT: return 1.f / (float) Math.sqrt(a);
            case SIN: return LibmFloat.sinf(a);
            default: return a * a;
        }
    }

    static void unary(UnaryBody b, NodeContext ctx) throws KmodelFormatException {
        long count = b.input().size() / 4;
        ctx.need(b.output(), count * 4, "output");
        ctx.charge(count);
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        for (long i = 0; i < count; i++) {
            Le.f32(po, b.output().start() + i * 4, unaryOp(b.op(), Le.f32(pi, b.input().start() + i * 4)));
        }
    }

    static void tableLookup1d(TableLookup1dBody b, NodeContext ctx) throws KmodelFormatException {
        if (b.input().dataType() != DataType.UINT8) {
            throw ctx.fail("input " + b.input() + " must be uint8 (the runtime returns an error otherwise)");
        }
        long count = b.input().size();
        if (count > 0) {
            ctx.need(b.table(), 256, "table");
        }
        ctx.need(b.output(), count, "output");
        ctx.charge(count);
        byte[] pi = ctx.pool(b.input());
        byte[] pt = ctx.pool(b.table());
        byte[] po = ctx.pool(b.output());
        for (long i = 0; i < count; i++) {
            po[(int) (b.output().start() + i)] = pt[(int) (b.table().start() + Le.u8(pi, b.input().start() + i))];
        }
    }

    static void conv2dTranspose(Conv2dTransposeBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        Shape4 out = b.outShape();
        long inCount = ctx.count(in, "in_shape");
        long outCount = ctx.count(out, "out_shape");
        ctx.positive(b.groups(), "groups");
        ctx.positive(b.strideH(), "stride_h");
        ctx.positive(b.strideW(), "stride_w");
        ctx.positive(b.dilationH(), "dilation_h");
        ctx.positive(b.dilationW(), "dilation_w");
        int groups = b.groups();
        int gIc = in.d1() / groups;
        int gOc = out.d1() / groups;
        ctx.need(b.input(), inCount * 4, "input");
        long perBatch = (long) out.d1() * out.d2() * out.d3();
        ctx.need(b.output(), Math.max(outCount, satMul(in.d0(), perBatch)) * 4, "output");
        ctx.charge(satMul(inCount, Math.max(1, (long) gOc * b.filterH() * b.filterW())) + outCount);
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        float[] w = b.weights().toArray();
        long os = b.output().start();
        for (long i = 0; i < outCount; i++) {
            Le.f32(po, os + i * 4, 0f);
        }
        long inPos = b.input().start();
        // gIc == 0 (more groups than input channels) leaves nothing to scatter
        for (int batch = 0; batch < b.inShape().d0() && inCount > 0 && gIc > 0; batch++) {
            long outBatch = os + batch * perBatch * 4;
            for (int g = 0; g < groups; g++) {
                long outGroup = outBatch + (long) g * gOc * out.d2() * out.d3() * 4;
                int wGroup = g * gOc * gIc * b.filterH() * b.filterW();
                for (int ic = 0; ic < gIc; ic++) {
                    for (int iy = 0; iy < b.inShape().d2(); iy++) {
                        for (int ix = 0; ix < b.inShape().d3(); ix++) {
                            long oy0 = (long) iy * b.strideH() - b.paddingH().before();
                            long ox0 = (long) ix * b.strideW() - b.paddingW().before();
                            int[] ky = filterRange(oy0, b.dilationH(), b.filterH(), out.d2());
                            int[] kx = filterRange(ox0, b.dilationW(), b.filterW(), out.d3());
                            float v = Le.f32(pi, inPos);
                            inPos += 4;
                            for (int oc = 0; oc < gOc; oc++) {
                                // the beta4 kernel loads bias[g * g_oc + oc] here and never uses it
                                long outC = outGroup + (long) oc * out.d2() * out.d3() * 4;
                                int wIc = wGroup + oc * gIc * b.filterH() * b.filterW() + ic * b.filterH() * b.filterW();
                                for (int y = ky[0]; y < ky[1]; y++) {
                                    for (int x = kx[0]; x < kx[1]; x++) {
                                        long at = outC + ((oy0 + (long) b.dilationH() * y) * out.d3()
                                                + ox0 + (long) b.dilationW() * x) * 4;
                                        Le.f32(po, at, Le.f32(po, at) + v * w[wIc + y * b.filterW() + x]);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        ValueRange act = b.fusedActivation();
        if (!act.isFull()) {
            for (long i = 0; i < outCount; i++) {
                Le.f32(po, os + i * 4, clamp(Le.f32(po, os + i * 4), act.min(), act.max()));
            }
        }
    }
}
