package k210studio.ir.layer;

/**
 * Keras SeparableConv2D = depthwise then 1×1 pointwise. Weights: "depthwise_kernel" [kh,kw,in,m],
 * "pointwise_kernel" [1,1,in·m,filters], "bias" [filters]. The K210 flow expands it to two layers.
 */
public record SeparableConv2D(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                              int depthMultiplier, boolean useBias, ActivationFn activation) implements LayerParams {
    public SeparableConv2D {
        Checks.positive("filters", filters);
        Checks.positive("kernel", kernelH, kernelW);
        Checks.positive("strides", strideH, strideW);
        Checks.positive("depth_multiplier", depthMultiplier);
        Checks.notNull("padding", padding);
        Checks.notNull("activation", activation);
    }

    public String kerasName() { return "SeparableConv2D"; }
}
