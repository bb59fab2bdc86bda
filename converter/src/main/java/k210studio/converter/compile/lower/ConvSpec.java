package k210studio.converter.compile.lower;

import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.shape.ConvGeometry;
import k210studio.ir.tensor.TensorShape;

/**
 * A convolution as TensorFlow defines it, with a ZeroPadding2D right before it (feeding only it) folded into its
 * padding: kernel, stride, activation, the value it reads ({@code inputId}, past the padding) and the total padding
 * on each side.
 */
record ConvSpec(int k, int stride, boolean depthwise, ActivationFn act, String inputId, TensorShape in,
                TensorShape out, int padTop, int padBottom, int padLeft, int padRight) {

    static ConvSpec of(LoweringContext ctx, Layer l) {
        int k;
        int s;
        Padding pad;
        boolean dw = l.params() instanceof DepthwiseConv2D;
        ActivationFn act;
        if (dw) {
            DepthwiseConv2D d = (DepthwiseConv2D) l.params();
            k = d.kernelH();
            s = d.strideH();
            pad = d.padding();
            act = d.activation();
        } else {
            Conv2D c = (Conv2D) l.params();
            k = c.kernelH();
            s = c.strideH();
            pad = c.padding();
            act = c.activation();
        }
        String in = ctx.g.inputsOf(l.id()).get(0);
        int pt = 0;
        int pb = 0;
        int pl = 0;
        int pr = 0;
        if (ctx.g.layer(in).params() instanceof ZeroPadding2D z && ctx.soleConsumer(in) != null) {
            pt = z.top();
            pb = z.bottom();
            pl = z.left();
            pr = z.right();
            in = ctx.g.inputsOf(in).get(0);
        }
        TensorShape x = ctx.shapes.shape(in);
        ConvGeometry gh = ConvGeometry.of(x.h() + pt + pb, k, s, 1, pad);
        ConvGeometry gw = ConvGeometry.of(x.w() + pl + pr, k, s, 1, pad);
        return new ConvSpec(k, s, dw, act, in, x, ctx.shapes.shape(l.id()), pt + gh.padBefore(), pb + gh.padAfter(),
                pl + gw.padBefore(), pr + gw.padAfter());
    }

    /** The KPU's own padding of a k×k kernel on each side ((k − 1) / 2). */
    int kpuPad() {
        return (k - 1) / 2;
    }

    /** Whether an input of this size (after any CPU padding) is inside the KPU's bounds 4 ≤ H ≤ 256, 4 ≤ W ≤ 512. */
    static boolean kpuInputFits(int h, int w) {
        return h >= 4 && h <= 256 && w >= 4 && w <= 512;
    }
}
