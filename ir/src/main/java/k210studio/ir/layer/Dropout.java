package k210studio.ir.layer;

/** Keras Dropout: identity at inference. */
public record Dropout(float rate) implements LayerParams {
    public Dropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("rate must be in [0, 1), got " + rate);
        }
    }

    public String kerasName() { return "Dropout"; }
}
