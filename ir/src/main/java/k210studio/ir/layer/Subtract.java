package k210studio.ir.layer;

/** Keras Subtract: first input minus second of inputs of equal shape (numpy broadcasting allowed). */
public record Subtract() implements LayerParams {
    public String kerasName() { return "Subtract"; }
    public int minInputs() { return 2; }
    public int maxInputs() { return 2; }
}
