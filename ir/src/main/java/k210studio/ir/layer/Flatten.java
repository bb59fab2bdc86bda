package k210studio.ir.layer;

/** Keras Flatten (NHWC order: channel fastest). */
public record Flatten() implements LayerParams {
    public String kerasName() { return "Flatten"; }
}
