package k210studio.ir.layer;

import k210studio.ir.tensor.TensorShape;

/** A model input; {@code shape} excludes the batch (H×W×C for images). */
public record Input(TensorShape shape) implements LayerParams {
    public String kerasName() { return "InputLayer"; }
    public int minInputs() { return 0; }
    public int maxInputs() { return 0; }
}
