package k210studio.converter.imaging;

/**
 * Bilinear resizing as PIL's {@code Image.resize(size, BILINEAR)} does it: a separable triangle
 * filter whose support widens with the down-scaling factor (so shrinking averages every source
 * pixel instead of skipping some), horizontal pass then vertical pass, rounded to 8 bits.
 */
public final class ImageResizer {
    private ImageResizer() {
    }

    public static DecodedImage bilinear(DecodedImage img, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "×" + height);
        }
        if (width == img.width() && height == img.height()) {
            return img;
        }
        int c = img.channels();
        // horizontal pass: [h][width][c]
        float[] tmp = new float[img.height() * width * c];
        Filter fx = Filter.of(img.width(), width);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < width; x++) {
                for (int ch = 0; ch < c; ch++) {
                    double s = 0;
                    for (int k = 0; k < fx.count[x]; k++) {
                        s += fx.weights[x][k] * img.samples()[(y * img.width() + fx.start[x] + k) * c + ch];
                    }
                    tmp[(y * width + x) * c + ch] = clampRound(s);
                }
            }
        }
        Filter fy = Filter.of(img.height(), height);
        int[] out = new int[height * width * c];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int ch = 0; ch < c; ch++) {
                    double s = 0;
                    for (int k = 0; k < fy.count[y]; k++) {
                        s += fy.weights[y][k] * tmp[((fy.start[y] + k) * width + x) * c + ch];
                    }
                    out[(y * width + x) * c + ch] = (int) clampRound(s);
                }
            }
        }
        return new DecodedImage(width, height, c, out);
    }

    /** Nearest neighbour: source index floor(d · in / out) (what OpenMV/MaixPy's fast resize does). */
    public static DecodedImage nearest(DecodedImage img, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "×" + height);
        }
        int c = img.channels();
        int[] out = new int[width * height * c];
        for (int y = 0; y < height; y++) {
            int sy = (int) Math.min((long) y * img.height() / height, img.height() - 1);
            for (int x = 0; x < width; x++) {
                int sx = (int) Math.min((long) x * img.width() / width, img.width() - 1);
                System.arraycopy(img.samples(), (sy * img.width() + sx) * c, out, (y * width + x) * c, c);
            }
        }
        return new DecodedImage(width, height, c, out);
    }

    private static float clampRound(double v) {
        return (float) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Per output index: the first source index, how many taps, and their normalised weights. */
    private static final class Filter {
        final int[] start;
        final int[] count;
        final double[][] weights;

        private Filter(int n) {
            start = new int[n];
            count = new int[n];
            weights = new double[n][];
        }

        static Filter of(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = 1.0 * filterScale;
            Filter f = new Filter(out);
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), in);
                int n = Math.max(xmax - xmin, 0);
                double[] w = new double[n];
                double total = 0;
                for (int k = 0; k < n; k++) {
                    double t = Math.abs((k + xmin - center + 0.5) / filterScale);
                    w[k] = t < 1 ? 1 - t : 0;
                    total += w[k];
                }
                if (total > 0) {
                    for (int k = 0; k < n; k++) {
                        w[k] /= total;
                    }
                } else if (n > 0) {
                    w[0] = 1;
                }
                f.start[i] = xmin;
                f.count[i] = n;
                f.weights[i] = w;
            }
            return f;
        }
    }
}
