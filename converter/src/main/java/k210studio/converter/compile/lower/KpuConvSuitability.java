package k210studio.converter.compile.lower;

import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.TensorShape;

/**
 * Whether a convolution's kernel, stride, dilation, channels, sizes and activation suit the KPU (k210-rules.md K1–K10),
 * before its padding is mapped: a user-facing reason when they do not.
 */
final class KpuConvSuitability {
    private KpuConvSuitability() {
    }

    /** A Conv2D's or DepthwiseConv2D's window and activation, read the same way for both. */
    record Window(boolean depthwise, int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
                  k210studio.ir.layer.Padding padding, int depthMultiplier, int filters, boolean useBias, ActivationFn activation) {
        /** The window of a Conv2D or DepthwiseConv2D, else null ({@code filters} is −1 for a depthwise conv). */
        static Window of(k210studio.ir.layer.LayerParams p) {
            if (p instanceof Conv2D c) {
                return new Window(false, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.dilationH(), c.dilationW(),
                        c.padding(), 1, c.filters(), c.useBias(), c.activation());
            }
            if (p instanceof DepthwiseConv2D d) {
                return new Window(true, d.kernelH(), d.kernelW(), d.strideH(), d.strideW(), d.dilationH(), d.dilationW(),
                        d.padding(), d.depthMultiplier(), -1, d.useBias(), d.activation());
            }
            return null;
        }
    }

    /** Null when the conv suits the KPU, else why not (a sentence for the user). */
    static String reason(LoweringContext ctx, Layer l) {
        Window win = Window.of(l.params());
        if (win == null) {
            return "not a convolution";
        }
        if (win.depthMultiplier() != 1) {
            return "depth multiplier " + win.depthMultiplier() + " (the KPU does one kernel per channel)";
        }
        int kh = win.kernelH();
        int kw = win.kernelW();
        int sh = win.strideH();
        int sw = win.strideW();
        int dh = win.dilationH();
        int dw = win.dilationW();
        int outC = win.filters();
        ActivationFn act = win.activation();
        if (kh != kw || (kh != 1 && kh != 3)) {
            return "kernel " + kh + "×" + kw + " (the KPU runs 1×1 and 3×3 only)";
        }
        if (sh != sw || (sh != 1 && sh != 2)) {
            return "stride " + sh + "×" + sw + " (the KPU runs strides 1 and 2)";
        }
        if (dh != 1 || dw != 1) {
            return "dilation " + dh + "×" + dw;
        }
        String in = ctx.g.inputsOf(l.id()).get(0);
        if (ctx.g.layer(in).params() instanceof ZeroPadding2D) {
            in = ctx.g.inputsOf(in).get(0);
        }
        TensorShape x = ctx.shapes.shape(in);
        if (x == null || !x.isImage()) {
            return "its input is not an H×W×C feature map";
        }
        if (x.c() > 1024 || outC > 1024) {
            return "more than 1024 channels";
        }
        TensorShape y = ctx.shapes.shape(l.id());
        if (y.h() < 4 || y.w() < 4) {
            return "output " + y.w() + "×" + y.h() + " is smaller than 4×4";
        }
        if (ctx.v3() && !v3Activation(act) && act.kind() != ActivationFn.Kind.SIGMOID) {
            return "activation " + act + " has no nncase 0.1 KPU table";
        }
        if (!act.isElementwise()) {
            return "activation " + act + " is not element-wise";
        }
        return null;
    }

    /** The activations nncase 0.1's fixed KPU tables implement. */
    static boolean v3Activation(ActivationFn a) {
        switch (a.kind()) {
            case LINEAR:
            case RELU:
            case RELU6:
            case LEAKY_RELU:
                return true;
            default:
                return false;
        }
    }

    /** Whether a ZeroPadding2D right before this layer can become part of its padding (a 1×1/3×3 conv that suits the KPU). */
    static boolean absorbsPadding(LoweringContext ctx, Layer conv) {
        int k;
        if (conv.params() instanceof Conv2D c) {
            k = c.kernelH();
        } else if (conv.params() instanceof DepthwiseConv2D d) {
            k = d.kernelH();
        } else {
            return false;
        }
        return (k == 1 || k == 3) && reason(ctx, conv) == null;
    }

    static boolean isConv(Layer l) {
        return l.params() instanceof Conv2D || l.params() instanceof DepthwiseConv2D;
    }
}
