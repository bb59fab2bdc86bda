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
import k210studio.kpu.kmodel.v4.body.CpuWindowBody;
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

    private interface Tap {
        /** Called for each in-image tap of output (n, oy, ox) with the input pixel offset (elements) and the tap index. */
        void tap(long pixel, int ky, int kx);
    }

    /** A window op's output size {outH, outW} after the usual checks; input H = in_shape[1], W = in_shape[2]. */
    private record Windows(CpuWindowBody b, long outH, long outW) {
        static Windows of(CpuWindowBody b, NodeContext ctx) throws KmodelFormatException {
            Shape4 in = b.inShape();
            ctx.count(in, "in_shape");
            ctx.positive(b.strideH(), "stride_h");
            ctx.positive(b.strideW(), "stride_w");
            ctx.positive(b.dilationH(), "dilation_h");
            ctx.positive(b.dilationW(), "dilation_w");
            return new Windows(b,
                    Math.max(0, windowedOutputSize(in.d1(), b.filterH(), b.strideH(), b.dilationH(), b.paddingH().before(), b.paddingH().after())),
                    Math.max(0, windowedOutputSize(in.d2(), b.filterW(), b.strideW(), b.dilationW(), b.paddingW().before(), b.paddingW().after())));
        }

        /**
         * Checks that the input ({@code elementBytes} a value) and the output ({@code channels} values a pixel) fit
         * their ranges and charges {@code tapsPerValue} multiply-adds per output value.
         */
        void checkAndCharge(NodeContext ctx, int elementBytes, int channels, long tapsPerValue) throws KmodelFormatException {
            Shape4 in = b.inShape();
            ctx.need(b.input(), in.product() * elementBytes, "input");
            ctx.need(b.output(), satMul(in.d0(), outH, outW, channels, elementBytes), "output");
            ctx.charge(satMul(in.d0(), outH, outW, Math.max(1, channels), tapsPerValue));
        }

        /** For each output pixel: begin, every in-image tap of its window, end (pixels in (n, y, x) order). */
        void run(Runnable begin, Tap tap, Runnable end) {
            if (outH == 0 || outW == 0) {
                return;
            }
            Shape4 in = b.inShape();
            int sh = b.strideH(), sw = b.strideW(), dh = b.dilationH(), dw = b.dilationW(), fh = b.filterH(), fw = b.filterW();
            long top = b.paddingH().before(), left = b.paddingW().before();
            for (int n = 0; n < in.d0(); n++) {
                long batch = (long) n * in.d1() * in.d2() * in.d3();
                for (long oy = 0; oy < outH; oy++) {
                    for (long ox = 0; ox < outW; ox++) {
                        long y0 = oy * sh - top;
                        long x0 = ox * sw - left;
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
    }

    /** The end of a float pixel: its accumulators clamped to the fused activation, as float32 at out[0] on. */
    private static Runnable floatPixel(float[] acc, byte[] po, long[] out, ValueRange act) {
        return () -> {
            for (int k = 0; k < acc.length; k++) {
                Le.f32(po, out[0], clamp(acc[k], act.min(), act.max()));
                out[0] += 4;
            }
        };
    }

    /** The end of a quantized pixel: each accumulator requantized (mul, shift, offset) to uint8 at out[0] on. */
    private static Runnable quantizedPixel(int[] acc, byte[] po, long[] out, int mul, int shift, int offset) {
        return () -> {
            for (int k = 0; k < acc.length; k++) {
                int r = mulAndCarryShift(acc[k], mul, shift) + offset;
                po[(int) out[0]++] = (byte) clamp(r, 0, 255);
            }
        };
    }

    static void conv2d(CpuConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Windows win = Windows.of(b, ctx);
        int oc = b.outChannels(), c = b.inShape().d3(), fh = b.filterH(), fw = b.filterW();
        win.checkAndCharge(ctx, 4, oc, Math.max(1, (long) fh * fw * c));
        byte[] pi = ctx.pool(b.input());
        float[] w = b.weights().toArray();
        float[] bias = b.bias().toArray();
        float[] acc = new float[oc];
        long is = b.input().start();
        win.run(() -> System.arraycopy(bias, 0, acc, 0, oc), (pixel, y, x) -> {
            for (int k = 0; k < oc; k++) {
                int wp = ((k * fh + y) * fw + x) * c;
                float v = acc[k];
                for (int ic = 0; ic < c; ic++) {
                    v += Le.f32(pi, is + (pixel + ic) * 4) * w[wp + ic];
                }
                acc[k] = v;
            }
        }, floatPixel(acc, ctx.pool(b.output()), new long[] {b.output().start()}, b.fusedActivation()));
    }

    static void depthwiseConv2d(CpuDepthwiseConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Windows win = Windows.of(b, ctx);
        int c = b.inShape().d3(), fh = b.filterH(), fw = b.filterW();
        win.checkAndCharge(ctx, 4, c, Math.max(1, (long) fh * fw));
        byte[] pi = ctx.pool(b.input());
        float[] w = b.weights().toArray();
        float[] bias = b.bias().toArray();
        float[] acc = new float[c];
        long is = b.input().start();
        win.run(() -> System.arraycopy(bias, 0, acc, 0, c), (pixel, y, x) -> {
            for (int k = 0; k < c; k++) {
                acc[k] += Le.f32(pi, is + (pixel + k) * 4) * w[(k * fh + y) * fw + x];
            }
        }, floatPixel(acc, ctx.pool(b.output()), new long[] {b.output().start()}, b.fusedActivation()));
    }

    static void reduceWindow2d(CpuReduceWindow2dBody b, NodeContext ctx) throws KmodelFormatException {
        ctx.positive(b.filterH(), "filter_h");
        ctx.positive(b.filterW(), "filter_w");
        Windows win = Windows.of(b, ctx);
        int c = b.inShape().d3();
        win.checkAndCharge(ctx, 4, c, (long) b.filterH() * b.filterW());
        byte[] pi = ctx.pool(b.input());
        float[] acc = new float[c];
        int[] taps = {0};
        long is = b.input().start();
        ReduceOp op = b.op();
        Runnable write = floatPixel(acc, ctx.pool(b.output()), new long[] {b.output().start()}, b.fusedActivation());
        win.run(() -> {
            java.util.Arrays.fill(acc, b.initValue());
            taps[0] = 0;
        }, (pixel, y, x) -> {
            for (int k = 0; k < c; k++) {
                acc[k] = NeutralKernels.reduceStep(op, acc[k], Le.f32(pi, is + (pixel + k) * 4));
            }
            taps[0]++;
        }, () -> {
            if (op == ReduceOp.MEAN) {
                for (int k = 0; k < c; k++) {
                    acc[k] /= taps[0];
                }
            }
            write.run();
        });
    }

    static void quantizedConv2d(CpuQuantizedConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Windows win = Windows.of(b, ctx);
        int oc = b.outChannels(), c = b.inShape().d3(), fh = b.filterH(), fw = b.filterW();
        win.checkAndCharge(ctx, 1, oc, Math.max(1, (long) fh * fw * c));
        byte[] pi = ctx.pool(b.input());
        byte[] w = b.weights().toArray();
        int[] bias = b.bias().toArray();
        int[] acc = new int[oc];
        long is = b.input().start();
        win.run(() -> System.arraycopy(bias, 0, acc, 0, oc), (pixel, y, x) -> {
            for (int k = 0; k < oc; k++) {
                int wp = ((k * fh + y) * fw + x) * c;
                int v = acc[k];
                for (int ic = 0; ic < c; ic++) {
                    v += (Le.u8(pi, is + pixel + ic) - b.inputOffset()) * ((w[wp + ic] & 0xFF) - b.filterOffset());
                }
                acc[k] = v;
            }
        }, quantizedPixel(acc, ctx.pool(b.output()), new long[] {b.output().start()}, b.outputMul(), b.outputShift(),
                b.outputOffset()));
    }

    static void quantizedDepthwiseConv2d(CpuQuantizedDepthwiseConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Windows win = Windows.of(b, ctx);
        int c = b.inShape().d3(), fh = b.filterH(), fw = b.filterW();
        win.checkAndCharge(ctx, 1, c, Math.max(1, (long) fh * fw));
        byte[] pi = ctx.pool(b.input());
        byte[] w = b.weights().toArray();
        int[] bias = b.bias().toArray();
        int[] acc = new int[c];
        long is = b.input().start();
        win.run(() -> System.arraycopy(bias, 0, acc, 0, c), (pixel, y, x) -> {
            for (int k = 0; k < c; k++) {
                acc[k] += (Le.u8(pi, is + pixel + k) - b.inputOffset())
                        * ((w[(k * fh + y) * fw + x] & 0xFF) - b.filterOffset());
            }
        }, quantizedPixel(acc, ctx.pool(b.output()), new long[] {b.output().start()}, b.outputMul(), b.outputShift(),
                b.outputOffset()));
    }
}
