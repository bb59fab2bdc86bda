package k210studio.ir.layer;

/** Keras Conv2D. Weights: "kernel" HWIO [kh,kw,in,filters], "bias" [filters] when useBias. */
public record Conv2D(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                     int dilationH, int dilationW, boolean useBias, ActivationFn activation) implements LayerParams {
    public Conv2D {
        Checks.positive("filters", filters);
        Checks.positive("kernel", kernelH, kernelW);
        Checks.positive("strides", strideH, strideW);
        Checks.positive("dilation_rate", dilationH, dilationW);
        Checks.notNull("padding", padding);
        Checks.notNull("activation", activation);
    }

    /** A square kernel with equal strides, no dilation, bias and a linear activation. */
    public static Conv2D of(int filters, int kernel, int stride, Padding padding) {
        return new Conv2D(filters, kernel, kernel, stride, stride, padding, 1, 1, true, ActivationFn.LINEAR);
    }

    public Conv2D withPadding(Padding p) {
        return new Conv2D(filters, kernelH, kernelW, strideH, strideW, p, dilationH, dilationW, useBias, activation);
    }

    public Conv2D withStrides(int sh, int sw) {
        return new Conv2D(filters, kernelH, kernelW, sh, sw, padding, dilationH, dilationW, useBias, activation);
    }

    public Conv2D withKernel(int kh, int kw) {
        return new Conv2D(filters, kh, kw, strideH, strideW, padding, dilationH, dilationW, useBias, activation);
    }

    public Conv2D withActivation(ActivationFn a) {
        return new Conv2D(filters, kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, useBias, a);
    }

    public String kerasName() { return "Conv2D"; }
}
