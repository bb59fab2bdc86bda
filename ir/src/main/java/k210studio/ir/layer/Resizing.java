package k210studio.ir.layer;

/**
 * Resize to an explicit height × width (Keras {@code Resizing}, TFLite RESIZE_BILINEAR /
 * RESIZE_NEAREST_NEIGHBOR). Keras' own layer uses {@code halfPixelCenters = true},
 * {@code alignCorners = false}; TFLite files carry both flags as the TF op had them.
 * Source coordinate of output pixel d along an axis of scale s = in/out:
 * alignCorners → d·(in−1)/(out−1); halfPixelCenters → (d + 0.5)·s − 0.5; else d·s.
 */
public record Resizing(int height, int width, Interpolation interpolation, boolean alignCorners,
                       boolean halfPixelCenters) implements LayerParams {
    public Resizing {
        Checks.positive("size", height, width);
        Checks.notNull("interpolation", interpolation);
    }

    public String kerasName() { return "Resizing"; }
}
