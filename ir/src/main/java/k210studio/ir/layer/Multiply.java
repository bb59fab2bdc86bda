package k210studio.ir.layer;

/** Keras Multiply: element-wise product of inputs of equal shape (numpy broadcasting allowed). */
public record Multiply() implements LayerParams {
    public String kerasName() { return "Multiply"; }
    public int minInputs() { return 2; }
    public int maxInputs() { return Integer.MAX_VALUE; }
}
