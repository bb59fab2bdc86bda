package k210studio.ir.layer;

/** Keras GlobalAveragePooling2D: H×W×C → C (or 1×1×C with keepDims). */
public record GlobalAveragePooling2D(boolean keepDims) implements LayerParams {
    public String kerasName() { return "GlobalAveragePooling2D"; }
}
