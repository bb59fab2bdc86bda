package k210studio.kpu.image;

/**
 * Turns an image into the input a K210 image model takes, as MaixPy does before
 * {@code kpu.forward}: resize to the model's width x height, then planar uint8 (all of channel 0,
 * then channel 1, ...), rows top to bottom. Three channels are R, G, B; one channel is the
 * OpenMV/MaixPy luminance {@code (38 R + 75 G + 15 B) >> 7}. {@code invert} maps v to 255 - v
 * (MaixPy's mnist example does {@code img.invert()} for black-on-white digits).
 */
public final class ModelImageInput {
    private ModelImageInput() {
    }

    /** Planar u8 C x H x W for a model input of {@code channels} (1 or 3). */
    public static byte[] planar(RgbImage img, int width, int height, int channels, ImageResize.Method method,
                                boolean invert) {
        return planar(img, width, height, channels, method, invert, false);
    }

    /**
     * As {@link #planar(RgbImage, int, int, int, ImageResize.Method, boolean)}; with {@code rgb565} the
     * resized pixels first go through RGB565 and back, as a MaixPy/OpenMV image does (its images are
     * RGB565; {@code pix_ai} expands 5/6-bit channels with OpenMV's COLOR_RGB565_TO_R8/G8/B8).
     */
    public static byte[] planar(RgbImage img, int width, int height, int channels, ImageResize.Method method,
                                boolean invert, boolean rgb565) {
        if (rgb565) {
            RgbImage r = ImageResize.resize(img, width, height, method);
            byte[] px = r.rgb();
            for (int i = 0; i < px.length; i += 3) {
                px[i] = (byte) expand5(px[i] & 0xFF);
                px[i + 1] = (byte) expand6(px[i + 1] & 0xFF);
                px[i + 2] = (byte) expand5(px[i + 2] & 0xFF);
            }
            img = new RgbImage(width, height, px);
        }
        return planarOf(img, width, height, channels, method, invert);
    }

    /** An 8-bit value through 5 bits and back: (v5 << 3) | (v5 >> 2). */
    static int expand5(int v) {
        int v5 = v >> 3;
        return (v5 << 3) | (v5 >> 2);
    }

    /** An 8-bit value through 6 bits and back: (v6 << 2) | (v6 >> 4). */
    static int expand6(int v) {
        int v6 = v >> 2;
        return (v6 << 2) | (v6 >> 4);
    }

    private static byte[] planarOf(RgbImage img, int width, int height, int channels, ImageResize.Method method,
                                   boolean invert) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image models take 1 (gray) or 3 (RGB) channels; this model wants "
                    + channels);
        }
        RgbImage r = ImageResize.resize(img, width, height, method);
        int plane = width * height;
        byte[] out = new byte[channels * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (channels == 3) {
                    for (int c = 0; c < 3; c++) {
                        int v = r.at(x, y, c);
                        out[c * plane + i] = (byte) (invert ? 255 - v : v);
                    }
                } else {
                    int v = luminance(r.at(x, y, 0), r.at(x, y, 1), r.at(x, y, 2));
                    out[i] = (byte) (invert ? 255 - v : v);
                }
            }
        }
        return out;
    }

    /** OpenMV's COLOR_RGB888_TO_Y; exact for gray pixels (38 + 75 + 15 = 128). */
    public static int luminance(int r, int g, int b) {
        return (38 * r + 75 * g + 15 * b) >> 7;
    }
}
