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
