package k210studio.ir.layer;

/** Keras AveragePooling2D; with 'same' the average counts only the real (unpadded) inputs, as TF does. */
public record AveragePooling2D(int poolH, int poolW, int strideH, int strideW, Padding padding) implements LayerParams {
    public AveragePooling2D {
        Checks.positive("pool_size", poolH, poolW);
        Checks.positive("strides", strideH, strideW);
        Checks.notNull("padding", padding);
    }

    public static AveragePooling2D of(int pool, int stride, Padding padding) {
        return new AveragePooling2D(pool, pool, stride, stride, padding);
    }

    public String kerasName() { return "AveragePooling2D"; }
}
