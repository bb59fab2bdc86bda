package k210studio.kpu.kmodel.v4;

import k210studio.kpu.kmodel.v4.body.Conv2dBody;
import k210studio.kpu.kmodel.v4.body.Conv2dTransposeBody;
import k210studio.kpu.kmodel.v4.body.CpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.MatmulBody;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.QuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.QuantizedMatmulBody;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.V4Body;

/** Multiply-accumulate counts of the V4 ops that multiply (for GMAC/s figures); 0 for the others. */
final class V4Macs {
    private V4Macs() {
    }

    static long of(V4Body body) {
        if (body instanceof KpuConv2dBody k) {
            long size = k.register(KpuConv2dBody.REG_IMAGE_SIZE);
            long inW = (size & 0x3FF) + 1;
            long inH = ((size >>> 10) & 0x1FF) + 1;
            long k2 = (long) k.kernelSize() * k.kernelSize();
            return mul(Math.max(1, k.batches()), k.outputChannels(), inH, inW, k2, k.depthwise() ? 1 : k.inputChannels());
        } else if (body instanceof Conv2dBody b) {
            return conv(b.inShape(), b.groups(), b.outChannels(), b.paddingH(), b.paddingW(), b.filterH(), b.filterW(),
                    b.strideH(), b.strideW(), b.dilationH(), b.dilationW());
        } else if (body instanceof QuantizedConv2dBody b) {
            return conv(b.inShape(), b.groups(), b.outChannels(), b.paddingH(), b.paddingW(), b.filterH(), b.filterW(),
                    b.strideH(), b.strideW(), b.dilationH(), b.dilationW());
        } else if (body instanceof Conv2dTransposeBody b) {
            long groups = Math.max(1, b.groups());
            return mul(b.inShape().product(), b.outShape().d1() / groups, b.filterH(), b.filterW());
        } else if (body instanceof MatmulBody b) {
            return mul(b.aRows(), b.aCols(), b.bCols());
        } else if (body instanceof QuantizedMatmulBody b) {
            return mul(b.aRows(), b.aCols(), b.bCols());
        } else if (body instanceof CpuConv2dBody b) {
            return mul(out(b.inShape(), b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                    b.dilationH(), b.dilationW()), b.outChannels(), b.inShape().d3(), b.filterH(), b.filterW());
        } else if (body instanceof CpuQuantizedConv2dBody b) {
            return mul(out(b.inShape(), b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                    b.dilationH(), b.dilationW()), b.outChannels(), b.inShape().d3(), b.filterH(), b.filterW());
        } else if (body instanceof CpuDepthwiseConv2dBody b) {
            return mul(out(b.inShape(), b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                    b.dilationH(), b.dilationW()), b.inShape().d3(), b.filterH(), b.filterW());
        } else if (body instanceof CpuQuantizedDepthwiseConv2dBody b) {
            return mul(out(b.inShape(), b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                    b.dilationH(), b.dilationW()), b.inShape().d3(), b.filterH(), b.filterW());
        }
        return 0;
    }

    /** N x out_h x out_w of an NHWC CPU conv. */
    private static long out(Shape4 in, Padding ph, Padding pw, int fh, int fw, int sh, int sw, int dh, int dw) {
        return mul(in.d0(), window(in.d1(), fh, sh, dh, ph), window(in.d2(), fw, sw, dw, pw));
    }

    private static long conv(Shape4 in, int groups, int oc, Padding ph, Padding pw, int fh, int fw, int sh, int sw,
            int dh, int dw) {
        long icPerGroup = groups > 0 ? in.d1() / groups : 0;
        return mul(in.d0(), oc, window(in.d2(), fh, sh, dh, ph), window(in.d3(), fw, sw, dw, pw), icPerGroup, fh, fw);
    }

    private static long window(long size, long filter, long stride, long dilation, Padding p) {
        if (stride < 1) {
            return 0;
        }
        long effective = (filter - 1) * dilation + 1;
        return Math.max(0, (size + p.before() + p.after() - effective + stride) / stride);
    }

    private static long mul(long... f) {
        long p = 1;
        for (long v : f) {
            if (v <= 0) {
                return 0;
            }
        }
        for (long v : f) {
            if (p > Long.MAX_VALUE / v) {
                return Long.MAX_VALUE;
            }
            p *= v;
        }
        return p;
    }
}
