package k210studio.ir.layer;

/** Keras GlobalMaxPooling2D: H×W×C → C (or 1×1×C with keepDims). */
public record GlobalMaxPooling2D(boolean keepDims) implements LayerParams {
    public String kerasName() { return "GlobalMaxPooling2D"; }
}
