package k210studio.ir.layer;

/** Keras Concatenate(axis); the axis counts the batch as 0, −1 is the last (channel) axis. */
public record Concatenate(int axis) implements LayerParams {
    public static Concatenate channels() {
        return new Concatenate(-1);
    }

    public String kerasName() { return "Concatenate"; }
    public int minInputs() { return 2; }
    public int maxInputs() { return Integer.MAX_VALUE; }
}
