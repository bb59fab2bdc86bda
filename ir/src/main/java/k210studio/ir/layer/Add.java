package k210studio.ir.layer;

/** Keras Add: element-wise sum of inputs of equal shape (numpy broadcasting allowed). */
public record Add() implements LayerParams {
    public String kerasName() { return "Add"; }
    public int minInputs() { return 2; }
    public int maxInputs() { return Integer.MAX_VALUE; }
}
