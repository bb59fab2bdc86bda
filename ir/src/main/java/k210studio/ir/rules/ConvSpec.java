package k210studio.ir.rules;

import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.SeparableConv2D;

/** The convolution facts the KPU rules look at, the same for Conv2D, DepthwiseConv2D and SeparableConv2D. */
record ConvSpec(Kind kind, int kernelH, int kernelW, int strideH, int strideW, Padding padding, int dilationH,
                int dilationW, int depthMultiplier, ActivationFn activation) {

    enum Kind { CONV, DEPTHWISE, SEPARABLE }

    static ConvSpec of(LayerParams p) {
        if (p instanceof Conv2D c) {
            return new ConvSpec(Kind.CONV, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(),
                    c.dilationH(), c.dilationW(), 1, c.activation());
        }
        if (p instanceof DepthwiseConv2D c) {
            return new ConvSpec(Kind.DEPTHWISE, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(),
                    c.dilationH(), c.dilationW(), c.depthMultiplier(), c.activation());
        }
        if (p instanceof SeparableConv2D c) {
            return new ConvSpec(Kind.SEPARABLE, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(),
                    1, 1, c.depthMultiplier(), c.activation());
        }
        return null;
    }

    /** True when the spatial part (the whole conv, or the depthwise half of a separable) is depthwise. */
    boolean spatialIsDepthwise() {
        return kind != Kind.CONV;
    }

    /** Whether a pooling layer may follow in the same KPU layer: only after a non-depthwise (or the pointwise half). */
    boolean lastStageIsDepthwise() {
        return kind == Kind.DEPTHWISE;
    }

    boolean squareKernel(int k) {
        return kernelH == k && kernelW == k;
    }

    boolean kernelOk() {
        return kernelH == kernelW && (kernelH == 1 || kernelH == 3);
    }

    boolean strideOk() {
        return strideH == strideW && (strideH == 1 || strideH == 2);
    }

    String kernelText() {
        return kernelH + "×" + kernelW;
    }

    String strideText() {
        return strideH == strideW ? Integer.toString(strideH) : strideH + "×" + strideW;
    }
}
