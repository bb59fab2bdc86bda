package k210studio.ir.layer;

/** Keras PReLU: a learned per-element slope; weight "alpha" shaped like the input (shared axes are 1). */
public record PReLU() implements LayerParams {
    public String kerasName() { return "PReLU"; }
}
