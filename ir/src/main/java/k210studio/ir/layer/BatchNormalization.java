package k210studio.ir.layer;

/**
 * Keras BatchNormalization over the channel axis (inference form):
 * y = gamma · (x − moving_mean) / sqrt(moving_variance + epsilon) + beta.
 * Weights: "gamma", "beta", "moving_mean", "moving_variance", each [C].
 */
public record BatchNormalization(float epsilon) implements LayerParams {
    public BatchNormalization {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be ≥ 0, got " + epsilon);
        }
    }

    public static BatchNormalization keras() {
        return new BatchNormalization(1e-3f);
    }

    public String kerasName() { return "BatchNormalization"; }
}
