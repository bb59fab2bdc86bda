package k210studio.ir.layer;

/** Keras MaxPooling2D(pool_size, strides, padding). 'same' pads with −∞ (padding ignored). */
public record MaxPooling2D(int poolH, int poolW, int strideH, int strideW, Padding padding) implements LayerParams {
    public MaxPooling2D {
        Checks.positive("pool_size", poolH, poolW);
        Checks.positive("strides", strideH, strideW);
        Checks.notNull("padding", padding);
    }

    public static MaxPooling2D of(int pool, int stride, Padding padding) {
        return new MaxPooling2D(pool, pool, stride, stride, padding);
    }

    public String kerasName() { return "MaxPooling2D"; }
}
