package k210studio.kpu.kmodel.v4.runtime;

import static k210studio.kpu.kmodel.v4.runtime.V4Arith.clamp;
import static k210studio.kpu.kmodel.v4.runtime.V4Arith.mulAndCarryShift;
import static k210studio.kpu.kmodel.v4.runtime.V4Arith.satMul;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.BinaryOp;
import k210studio.kpu.kmodel.v4.body.QuantizedBinaryBody;
import k210studio.kpu.kmodel.v4.body.QuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.QuantizedMatmulBody;
import k210studio.kpu.kmodel.v4.body.Shape4;

/**
 * The uint8 neutral ops of the beta4 runtime (kmodel-v4.md §6.15-6.17, §10): int32 accumulation
 * with the offsets ADDED to every byte, then rshift_round(acc * mul, shift) + offset clamped to
 * 0..255 (mul_and_carry_shift, 64-bit product, shift taken as its low byte).
 */
final class QuantizedKernels {
    private QuantizedKernels() {
    }

    static void conv2d(QuantizedConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 in = b.inShape();
        long[] g = NeutralKernels.convGeometry(ctx, in, b.groups(), b.outChannels(), b.paddingH(), b.paddingW(),
                b.filterH(), b.filterW(), b.strideH(), b.strideW(), b.dilationH(), b.dilationW());
        long outH = g[0], outW = g[1];
        int gIc = (int) g[2], gOc = (int) g[3];
        int groups = b.groups();
        ctx.need(b.input(), in.product(), "input");
        ctx.need(b.output(), satMul(in.d0(), (long) groups * gOc, outH, outW), "output");
        ctx.charge(satMul(in.d0(), (long) groups * gOc, outH, outW, Math.max(1, (long) gIc * b.filterH() * b.filterW())));
        if (outH == 0 || outW == 0 || gOc == 0 || in.d0() == 0) {
            return;
        }
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        int fh = b.filterH(), fw = b.filterW();
        int inH = in.d2(), inW = in.d3();
        int plane = inH * inW;
        // offsets applied once: x + input_offset and w + filter_offset as ints
        int[] x = new int[(int) in.product()];
        int is = (int) b.input().start();
        for (int i = 0; i < x.length; i++) {
            x[i] = (pi[is + i] & 0xFF) + b.inputOffset();
        }
        byte[] wb = b.weights().toArray();
        int[] w = new int[wb.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (wb[i] & 0xFF) + b.filterOffset();
        }
        int[] bias = b.bias().toArray();
        int dh = b.dilationH(), dw = b.dilationW();
        int out = (int) b.output().start();
        for (int batch = 0; batch < in.d0(); batch++) {
            int inBatch = batch * in.d1() * plane;
            for (int og = 0; og < groups; og++) {
                int inGroup = inBatch + og * gIc * plane;
                int wGroup = og * gOc * gIc * fh * fw;
                for (int oc = 0; oc < gOc; oc++) {
                    int wOc = wGroup + oc * gIc * fh * fw;
                    for (long oy = 0; oy < outH; oy++) {
                        long inY0 = oy * b.strideH() - b.paddingH().before();
                        int ky0 = (int) Math.max(0, (-inY0 + dh - 1) / dh);
                        int ky1 = (int) Math.max(ky0, Math.min(fh, (inH - inY0 + dh - 1) / dh));
                        for (long ox = 0; ox < outW; ox++) {
                            long inX0 = ox * b.strideW() - b.paddingW().before();
                            int kx0 = (int) Math.max(0, (-inX0 + dw - 1) / dw);
                            int kx1 = (int) Math.max(kx0, Math.min(fw, (inW - inX0 + dw - 1) / dw));
                            int value = bias[og * gOc + oc];
                            for (int ic = 0; ic < gIc; ic++) {
                                int inC = inGroup + ic * plane;
                                int wIc = wOc + ic * fh * fw;
                                for (int y = ky0; y < ky1; y++) {
                                    int row = inC + (int) (inY0 + (long) dh * y) * inW + (int) inX0;
                                    int wRow = wIc + y * fw;
                                    for (int kx = kx0; kx < kx1; kx++) {
                                        value += x[row + dw * kx] * w[wRow + kx];
                                    }
                                }
                            }
                            int r = mulAndCarryShift(value, b.outputMul(), b.outputShift()) + b.outputOffset();
                            po[out++] = (byte) clamp(r, 0, 255);
                        }
                    }
                }
            }
        }
    }

    static void matmul(QuantizedMatmulBody b, NodeContext ctx) throws KmodelFormatException {
        long rows = b.aRows(), cols = b.aCols(), bCols = b.bCols();
        ctx.need(b.inputA(), satMul(rows, cols), "input_a");
        ctx.need(b.inputB(), satMul(cols, bCols), "input_b");
        ctx.need(b.output(), satMul(rows, bCols), "output");
        ctx.charge(satMul(rows, bCols, Math.max(1, cols)));
        byte[] pa = ctx.pool(b.inputA());
        byte[] pb = ctx.pool(b.inputB());
        byte[] po = ctx.pool(b.output());
        int[] bias = b.bias().toArray();
        for (long oy = 0; oy < rows; oy++) {
            for (int ox = 0; ox < bCols; ox++) {
                int value = bias[ox];
                for (long i = 0; i < cols; i++) {
                    int a = Le.u8(pa, b.inputA().start() + oy * cols + i) + b.inputAOffset();
                    int v = Le.u8(pb, b.inputB().start() + i * bCols + ox) + b.inputBOffset();
                    value += a * v;
                }
                int r = mulAndCarryShift(value, b.outputMul(), b.outputShift()) + b.outputOffset();
                po[(int) (b.output().start() + oy * bCols + ox)] = (byte) clamp(r, 0, 255);
            }
        }
    }

    private static int op(BinaryOp op, int a, int b) {
        switch (op) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return b == 0 ? 0 : (a + b / 2) / b; // (a + b/2) / b; division by zero is undefined in C
            case MIN: return Math.min(a, b);
            default: return Math.max(a, b);
        }
    }

    private static int scaled(QuantizedBinaryBody b, int a, int v) {
        int a2 = mulAndCarryShift(a + b.inputAOffset(), b.inputAMul(), b.inputAShift());
        int v2 = mulAndCarryShift(v + b.inputBOffset(), b.inputBMul(), b.inputBShift());
        int r = mulAndCarryShift(op(b.op(), a2, v2), b.outputMul(), b.outputShift());
        return clamp(r + b.outputOffset(), 0, 255);
    }

    static void binary(QuantizedBinaryBody b, NodeContext ctx) throws KmodelFormatException {
        long na = ctx.count(b.inAShape(), "in_a_shape");
        long nb = ctx.count(b.inBShape(), "in_b_shape");
        long no = ctx.count(b.outShape(), "out_shape");
        ctx.need(b.inputA(), na, "input_a");
        ctx.need(b.inputB(), nb, "input_b");
        byte[] pa = ctx.pool(b.inputA());
        byte[] pb = ctx.pool(b.inputB());
        byte[] po = ctx.pool(b.output());
        if (b.inAShape().equals(b.inBShape())) {
            // the runtime's no-broadcast path: element-wise over in_a's size, out_shape unused
            ctx.need(b.output(), na, "output");
            ctx.charge(na);
            for (long i = 0; i < na; i++) {
                int r = scaled(b, Le.u8(pa, b.inputA().start() + i), Le.u8(pb, b.inputB().start() + i));
                po[(int) (b.output().start() + i)] = (byte) r;
            }
            return;
        }
        ctx.need(b.output(), no, "output");
        if (no > 0 && (na == 0 || nb == 0)) {
            throw ctx.fail("an empty input cannot be broadcast to out_shape " + b.outShape());
        }
        ctx.charge(no);
        if (no == 0) {
            return;
        }
        Shape4 sa = b.inAShape(), sb = b.inBShape(), so = b.outShape();
        for (int d0 = 0; d0 < so.d0(); d0++) {
            for (int d1 = 0; d1 < so.d1(); d1++) {
                for (int d2 = 0; d2 < so.d2(); d2++) {
                    for (int d3 = 0; d3 < so.d3(); d3++) {
                        long ia = off(sa, NeutralKernels.red(d0, sa.d0()), NeutralKernels.red(d1, sa.d1()),
                                NeutralKernels.red(d2, sa.d2()), NeutralKernels.red(d3, sa.d3()));
                        long ib = off(sb, NeutralKernels.red(d0, sb.d0()), NeutralKernels.red(d1, sb.d1()),
                                NeutralKernels.red(d2, sb.d2()), NeutralKernels.red(d3, sb.d3()));
                        int r = scaled(b, Le.u8(pa, b.inputA().start() + ia), Le.u8(pb, b.inputB().start() + ib));
                        po[(int) (b.output().start() + off(so, d0, d1, d2, d3))] = (byte) r;
                    }
                }
            }
        }
    }

    private static long off(Shape4 s, long i0, long i1, long i2, long i3) {
        return ((i0 * s.d1() + i1) * s.d2() + i2) * s.d3() + i3;
    }
}
