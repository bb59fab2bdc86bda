package k210studio.app.simulate;

import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;

/**
 * Draws a feature map as a grid of channels (at most {@link #MAX_CHANNELS}), grey from {@code lo} to {@code hi};
 * a difference map is drawn blue (negative) – white – red (positive), symmetric around 0.
 */
public final class FeatureMapGrid {
    public static final int MAX_CHANNELS = 64;
    private static final int GAP = 1;

    private FeatureMapGrid() {
    }

    /** Grid columns for n channels. */
    public static int columns(int n) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(n)));
    }

    /** [min, max] over the map. */
    public static float[] range(FeatureMap m) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : m.chw()) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo > hi ? new float[] {0, 1} : new float[] {lo, hi};
    }

    public static WritableImage render(FeatureMap m, float lo, float hi, boolean diverging) {
        int n = Math.min(m.c(), MAX_CHANNELS);
        int h = m.h();
        int w = m.w();
        if (h == 1 && w == 1) {
            // a vector: one row of cells, 8 px each
            int cells = Math.min(m.c(), 4096);
            int cols = Math.min(cells, 64);
            int rows = (cells + cols - 1) / cols;
            WritableImage img = new WritableImage(cols * 8, rows * 8);
            PixelWriter pw = img.getPixelWriter();
            for (int i = 0; i < cells; i++) {
                int argb = colour(m.chw()[i], lo, hi, diverging);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        pw.setArgb((i % cols) * 8 + x, (i / cols) * 8 + y, argb);
                    }
                }
            }
            return img;
        }
        int cols = columns(n);
        int rows = (n + cols - 1) / cols;
        WritableImage img = new WritableImage(cols * (w + GAP), rows * (h + GAP));
        PixelWriter pw = img.getPixelWriter();
        float[] d = m.chw();
        for (int ch = 0; ch < n; ch++) {
            int ox = (ch % cols) * (w + GAP);
            int oy = (ch / cols) * (h + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    pw.setArgb(ox + x, oy + y, colour(d[(ch * h + y) * w + x], lo, hi, diverging));
                }
            }
        }
        return img;
    }

    static int colour(float v, float lo, float hi, boolean diverging) {
        if (diverging) {
            float a = Math.max(Math.abs(lo), Math.abs(hi));
            float t = a == 0 ? 0 : Math.max(-1, Math.min(1, v / a));
            int r = t > 0 ? 255 : (int) (255 * (1 + t));
            int b = t < 0 ? 255 : (int) (255 * (1 - t));
            int g = (int) (255 * (1 - Math.abs(t)));
            return 0xFF000000 | r << 16 | g << 8 | b;
        }
        float t = hi > lo ? (v - lo) / (hi - lo) : 0;
        int g = (int) (255 * Math.max(0, Math.min(1, t)));
        return 0xFF000000 | g << 16 | g << 8 | g;
    }
}
