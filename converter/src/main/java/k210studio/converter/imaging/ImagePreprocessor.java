package k210studio.converter.imaging;

import k210studio.ir.tensor.Tensor;

/**
 * Turns a decoded picture into model input: bilinear resize (PIL-style) to the input's H×W,
 * channel conversion (RGB ↔ gray), then either raw 0..255 samples or normalised floats
 * {@code x = (pixel − mean) / std} as an NHWC tensor [H, W, C] (no batch).
 */
public final class ImagePreprocessor {
    private ImagePreprocessor() {
    }

    /** The picture resized (bilinear) to w×h with c channels, as 0..255 samples in HWC order. */
    public static int[] pixels(DecodedImage img, int h, int w, int c) {
        return pixels(img, h, w, c, false, false);
    }

    /**
     * The picture resized to w×h with c channels, as 0..255 samples in HWC order.
     *
     * @param nearest nearest-neighbour instead of (PIL-style) bilinear resizing
     * @param invert  255 − v (black-on-white digits for MNIST-style models)
     */
    public static int[] pixels(DecodedImage img, int h, int w, int c, boolean nearest, boolean invert) {
        DecodedImage g = img.withChannels(c);
        int[] p = (nearest ? ImageResizer.nearest(g, w, h) : ImageResizer.bilinear(g, w, h)).samples().clone();
        if (invert) {
            for (int i = 0; i < p.length; i++) {
                p[i] = 255 - p[i];
            }
        }
        return p;
    }

    /** (pixel − mean) / std as a float tensor [h, w, c]. */
    public static Tensor normalized(DecodedImage img, int h, int w, int c, float mean, float std) {
        if (!(std != 0f) || !Float.isFinite(std) || !Float.isFinite(mean)) {
            throw new IllegalArgumentException("std must be a non-zero number and mean finite, got mean " + mean + " std " + std);
        }
        int[] p = pixels(img, h, w, c);
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (p[i] - mean) / std;
        }
        return new Tensor(new int[] {h, w, c}, out);
    }
}
