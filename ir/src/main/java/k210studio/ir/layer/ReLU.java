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

    /**
     * This layer as an element-wise function: relu, relu6 or leaky ReLU; null for the other max_value/threshold
     * combinations ("some other clamp", which V4 tables but V3 cannot express).
     */
    public ActivationFn function() {
        if (threshold != 0f) {
            return null;
        }
        if (maxValue == null) {
            return negativeSlope == 0f ? ActivationFn.RELU : ActivationFn.leakyRelu(negativeSlope);
        }
        return maxValue == 6f && negativeSlope == 0f ? ActivationFn.RELU6 : null;
    }

    public String kerasName() { return "ReLU"; }
}
