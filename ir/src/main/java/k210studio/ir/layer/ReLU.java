package k210studio.ir.layer;

/**
 * Keras ReLU(max_value, negative_slope, threshold): x ≥ threshold → min(x, max_value),
 * else negative_slope · (x − threshold). {@code maxValue} null means unbounded.
 */
public record ReLU(Float maxValue, float negativeSlope, float threshold) implements LayerParams {
    public ReLU {
        if (maxValue != null && !(maxValue >= 0)) {
            throw new IllegalArgumentException("max_value must be ≥ 0, got " + maxValue);
        }
        if (!(negativeSlope >= 0)) {
            throw new IllegalArgumentException("negative_slope must be ≥ 0, got " + negativeSlope);
        }
    }

    public static ReLU plain() {
        return new ReLU(null, 0f, 0f);
    }

    public static ReLU relu6() {
        return new ReLU(6f, 0f, 0f);
    }

    public String kerasName() { return "ReLU"; }
}
