package k210studio.ir.layer;

/** Keras Activation layer. */
public record Activation(ActivationFn fn) implements LayerParams {
    public Activation {
        Checks.notNull("activation", fn);
    }

    public String kerasName() { return "Activation"; }
}
