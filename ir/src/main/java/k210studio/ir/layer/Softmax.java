package k210studio.ir.layer;

/** Keras Softmax(axis); the axis counts the batch as 0, −1 is the last axis. */
public record Softmax(int axis) implements LayerParams {
    public static Softmax lastAxis() {
        return new Softmax(-1);
    }

    public String kerasName() { return "Softmax"; }
}
