package k210studio.ir.layer;

/**
 * Keras DepthwiseConv2D. Weights: "depthwise_kernel" [kh,kw,in,depthMultiplier] (Keras layout),
 * "bias" [in·depthMultiplier] when useBias. Output channel {@code c·m + j} comes from input channel c.
 */
public record DepthwiseConv2D(int kernelH, int kernelW, int strideH, int strideW, Padding padding, int depthMultiplier,
                              int dilationH, int dilationW, boolean useBias, ActivationFn activation) implements LayerParams {
    public DepthwiseConv2D {
        Checks.positive("kernel", kernelH, kernelW);
        Checks.positive("strides", strideH, strideW);
        Checks.positive("depth_multiplier", depthMultiplier);
        Checks.positive("dilation_rate", dilationH, dilationW);
        Checks.notNull("padding", padding);
        Checks.notNull("activation", activation);
    }

    public static DepthwiseConv2D of(int kernel, int stride, Padding padding) {
        return new DepthwiseConv2D(kernel, kernel, stride, stride, padding, 1, 1, 1, true, ActivationFn.LINEAR);
    }

    public DepthwiseConv2D withPadding(Padding p) {
        return new DepthwiseConv2D(kernelH, kernelW, strideH, strideW, p, depthMultiplier, dilationH, dilationW, useBias, activation);
    }

    public DepthwiseConv2D withActivation(ActivationFn a) {
        return new DepthwiseConv2D(kernelH, kernelW, strideH, strideW, padding, depthMultiplier, dilationH, dilationW, useBias, a);
    }

    public String kerasName() { return "DepthwiseConv2D"; }
}
