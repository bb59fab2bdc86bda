package k210studio.ir.layer;

/** Keras Conv2DTranspose. Weights: "kernel" [kh,kw,filters,in] (Keras layout), "bias" [filters]. */
public record Conv2DTranspose(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                              boolean useBias, ActivationFn activation) implements LayerParams {
    public Conv2DTranspose {
        Checks.positive("filters", filters);
        Checks.positive("kernel", kernelH, kernelW);
        Checks.positive("strides", strideH, strideW);
        Checks.notNull("padding", padding);
        Checks.notNull("activation", activation);
    }

    public String kerasName() { return "Conv2DTranspose"; }
}
