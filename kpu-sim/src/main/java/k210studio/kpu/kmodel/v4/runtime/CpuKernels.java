package k210studio.kpu.kmodel.v4.runtime;

import static k210studio.kpu.kmodel.v4.runtime.V4Arith.clamp;
import static k210studio.kpu.kmodel.v4.runtime.V4Arith.mulAndCarryShift;
import static k210studio.kpu.kmodel.v4.runtime.V4Arith.satMul;
import static k210studio.kpu.kmodel.v4.runtime.V4Arith.windowedOutputSize;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.CpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.ReduceOp;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.ValueRange;

/**
 * The runtime-only CPU ops 0x1001-0x1005 of the beta4 runtime (kmodel-v4.md §8): NHWC tensors
 * (channels in in_shape[3]), conv weights [oc][kh][kw][ic], depthwise weights [c][kh][kw], output
 * written in (y, x, c) order. Note the quantized CPU convs SUBTRACT their offsets
 * ((x - input_offset)(w - filter_offset)), unlike the neutral quantized_conv2d which adds them.
 */
final class CpuKernels {
    private CpuKernels() {
    }

    /** {out_h, out_w} after the usual checks; input H = in_shape[1], W = in_shape[2]. */
    private static long[] geometry(NodeContext ctx, Shape4 in, Padding ph, Padding pw, int fh, int fw, int sh, int sw,
            int dh, int dw) throws KmodelFormatException {
        ctx.count(in, "in_shape");
        ctx.positive(sh, "stride_h");
        ctx.positive(sw, "stride_w");
        ctx.positive(dh, "dilation_h");
        ctx.positive(dw, "dilation_w");
        return new long[] {Math.max(0, windowedOutputSize(in.d1(), fh, sh, dh, ph.before(), ph.after())),
            Math.max(0, windowedOutputSize(in.d2(), fw, sw, dw, pw.before(), pw.after()))};
    }

    private interface Tap {
        /** Called for each in-image tap of output (n, oy, ox) with the input pixel offset (elements) and the tap index. */
        void tap(long pixel, int ky, int kx);
    }

    private static void windows(Shape4 in, long outH, long outW, Padding ph, Padding pw, int fh, int fw, int sh, int sw,
            int dh, int dw, Runnable begin, Tap tap, Runnable end) {
        if (outH == 0 || outW == 0) {
            return;
        }
        for (int n = 0; n < in.d0(); n++) {
            long batch = (long) n * in.d1() * in.d2() * in.d3();
            for (long oy = 0; oy < outH; oy++) {
                for (long ox = 0; ox < outW; ox++) {
                    long y0 = oy * sh - ph.before();
                    long x0 = ox * sw - pw.before();
                    int[] ky = NeutralKernels.filterRange(y0, dh, fh, in.d1());
                    int[] kx = NeutralKernels.filterRange(x0, dw, fw, in.d2());
                    begin.run();
                    for (int y = ky[0]; y < ky[1]; y++) {
                        for (int x = kx[0]; x < kx[1]; x++) {
                            long iy = y0 + (long) dh * y;
                            long ix = x0 + (long) dw * x;
                            tap.tap(batch + (iy * in.d2() + ix) * in.d3(), y, x);
                        }
                    }
                    end.run();
                }
            }
        }
    }

    static void conv2d(CpuConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long[] o = geometry(ctx, in, b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                b.dilationH(), b.dilationW());
        int oc = b.outChannels(), c = in.d3(), fh = b.filterH(), fw = b.filterW();
        ctx.need(b.input(), in.product() * 4, "input");
        ctx.need(b.output(), satMul(in.d0(), o[0], o[1], oc, 4), "output");
        ctx.charge(satMul(in.d0(), o[0], o[1], Math.max(1, oc), Math.max(1, (long) fh * fw * c)));
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        float[] w = b.weights().toArray();
        float[] bias = b.bias().toArray();
        ValueRange act = b.fusedActivation();
        float[] acc = new float[oc];
        long[] out = {b.output().start()};
        long is = b.input().start();
        windows(in, o[0], o[1], b.paddingH(), b.paddingW(), fh, fw, b.strideH(), b.strideW(), b.dilationH(),
                b.dilationW(), () -> System.arraycopy(bias, 0, acc, 0, oc), (pixel, y, x) -> {
                    for (int k = 0; k < oc; k++) {
                        int wp = ((k * fh + y) * fw + x) * c;
                        float v = acc[k];
                        for (int ic = 0; ic < c; ic++) {
                            v += Le.f32(pi, is + (pixel + ic) * 4) * w[wp + ic];
                        }
                        acc[k] = v;
                    }
                }, () -> {
                    for (int k = 0; k < oc; k++) {
                        Le.f32(po, out[0], clamp(acc[k], act.min(), act.max()));
                        out[0] += 4;
                    }
                });
    }

    static void depthwiseConv2d(CpuDepthwiseConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long[] o = geometry(ctx, in, b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                b.dilationH(), b.dilationW());
        int c = in.d3(), fh = b.filterH(), fw = b.filterW();
        ctx.need(b.input(), in.product() * 4, "input");
        ctx.need(b.output(), satMul(in.d0(), o[0], o[1], c, 4), "output");
        ctx.charge(satMul(in.d0(), o[0], o[1], Math.max(1, c), Math.max(1, (long) fh * fw)));
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        float[] w = b.weights().toArray();
        float[] bias = b.bias().toArray();
        ValueRange act = b.fusedActivation();
        float[] acc = new float[c];
        long[] out = {b.output().start()};
        long is = b.input().start();
        windows(in, o[0], o[1], b.paddingH(), b.paddingW(), fh, fw, b.strideH(), b.strideW(), b.dilationH(),
                b.dilationW(), () -> System.arraycopy(bias, 0, acc, 0, c), (pixel, y, x) -> {
                    for (int k = 0; k < c; k++) {
                        acc[k] += Le.f32(pi, is + (pixel + k) * 4) * w[(k * fh + y) * fw + x];
                    }
                }, () -> {
                    for (int k = 0; k < c; k++) {
                        Le.f32(po, out[0], clamp(acc[k], act.min(), act.max()));
                        out[0] += 4;
                    }
                });
    }

    static void reduceWindow2d(CpuReduceWindow2dBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        ctx.positive(b.filterH(), "filter_h");
        ctx.positive(b.filterW(), "filter_w");
        long[] o = geometry(ctx, in, b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                b.dilationH(), b.dilationW());
        int c = in.d3();
        ctx.need(b.input(), in.product() * 4, "input");
        ctx.need(b.output(), satMul(in.d0(), o[0], o[1], c, 4), "output");
        ctx.charge(satMul(in.d0(), o[0], o[1], Math.max(1, c), (long) b.filterH() * b.filterW()));
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        ValueRange act = b.fusedActivation();
        float[] acc = new float[c];
        int[] taps = {0};
        long[] out = {b.output().start()};
        long is = b.input().start();
        ReduceOp op = b.op();
        windows(in, o[0], o[1], b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                b.dilationH(), b.dilationW(), () -> {
                    java.util.Arrays.fill(acc, b.initValue());
                    taps[0] = 0;
                }, (pixel, y, x) -> {
                    for (int k = 0; k < c; k++) {
                        acc[k] = NeutralKernels.reduceStep(op, acc[k], Le.f32(pi, is + (pixel + k) * 4));
                    }
                    taps[0]++;
                }, () -> {
                    for (int k = 0; k < c; k++) {
                        float r = op == ReduceOp.MEAN ? acc[k] / taps[0] : acc[k];
                        Le.f32(po, out[0], clamp(r, act.min(), act.max()));
                        out[0] += 4;
                    }
                });
    }

    static void quantizedConv2d(CpuQuantizedConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long[] o = geometry(ctx, in, b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                b.dilationH(), b.dilationW());
        int oc = b.outChannels(), c = in.d3(), fh = b.filterH(), fw = b.filterW();
        ctx.need(b.input(), in.product(), "input");
        ctx.need(b.output(), satMul(in.d0(), o[0], o[1], oc), "output");
        ctx.charge(satMul(in.d0(), o[0], o[1], Math.max(1, oc), Math.max(1, (long) fh * fw * c)));
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        byte[] w = b.weights().toArray();
        int[] bias = b.bias().toArray();
        int[] acc = new int[oc];
        long[] out = {b.output().start()};
        long is = b.input().start();
        windows(in, o[0], o[1], b.paddingH(), b.paddingW(), fh, fw, b.strideH(), b.strideW(), b.dilationH(),
                b.dilationW(), () -> System.arraycopy(bias, 0, acc, 0, oc), (pixel, y, x) -> {
                    for (int k = 0; k < oc; k++) {
                        int wp = ((k * fh + y) * fw + x) * c;
                        int v = acc[k];
                        for (int ic = 0; ic < c; ic++) {
                            v += (Le.u8(pi, is + pixel + ic) - b.inputOffset()) * ((w[wp + ic] & 0xFF) - b.filterOffset());
                        }
                        acc[k] = v;
                    }
                }, () -> {
                    for (int k = 0; k < oc; k++) {
                        int r = mulAndCarryShift(acc[k], b.outputMul(), b.outputShift()) + b.outputOffset();
                        po[(int) out[0]++] = (byte) clamp(r, 0, 255);
                    }
                });
    }

    static void quantizedDepthwiseConv2d(CpuQuantizedDepthwiseConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long[] o = geometry(ctx, in, b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                b.dilationH(), b.dilationW());
        int c = in.d3(), fh = b.filterH(), fw = b.filterW();
        ctx.need(b.input(), in.product(), "input");
        ctx.need(b.output(), satMul(in.d0(), o[0], o[1], c), "output");
        ctx.charge(satMul(in.d0(), o[0], o[1], Math.max(1, c), Math.max(1, (long) fh * fw)));
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        byte[] w = b.weights().toArray();
        int[] bias = b.bias().toArray();
        int[] acc = new int[c];
        long[] out = {b.output().start()};
        long is = b.input().start();
        windows(in, o[0], o[1], b.paddingH(), b.paddingW(), fh, fw, b.strideH(), b.strideW(), b.dilationH(),
                b.dilationW(), () -> System.arraycopy(bias, 0, acc, 0, c), (pixel, y, x) -> {
                    for (int k = 0; k < c; k++) {
                        acc[k] += (Le.u8(pi, is + pixel + k) - b.inputOffset())
                                * ((w[(k * fh + y) * fw + x] & 0xFF) - b.filterOffset());
                    }
                }, () -> {
                    for (int k = 0; k < c; k++) {
                        int r = mulAndCarryShift(acc[k], b.outputMul(), b.outputShift()) + b.outputOffset();
                        po[(int) out[0]++] = (byte) clamp(r, 0, 255);
                    }
                });
    }
}
