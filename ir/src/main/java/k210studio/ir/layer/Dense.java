package k210studio.ir.layer;

/** Keras Dense on the last axis. Weights: "kernel" [in, units], "bias" [units]. */
public record Dense(int units, boolean useBias, ActivationFn activation) implements LayerParams {
    public Dense {
        Checks.positive("units", units);
        Checks.notNull("activation", activation);
    }

    public String kerasName() { return "Dense"; }
}
