package k210studio.converter.compile;

import k210studio.converter.evaluate.OutputMap;
import k210studio.ir.tensor.Tensor;

/**
 * Lays a kmodel tensor (dense C×H'×W', the kmodel's NCHW order) over a float tensor (TFLite/Keras NHWC) and
 * measures the error. The kmodel tensor may hold the float one exactly, or as a window: K210 maps are often padded
 * (a CPU pad before an upload, a KPU output before its crop, a vector's 4×4 map) or computed at stride 1 where the
 * float layer has stride 2 (a strided slice or an odd-grid pick follows); the window is rows {@code row + step·i} and
 * columns {@code col + step·j}, and the best-fitting one (by cosine) is taken.
 */
public final class TensorFit {
    private static final int MAX_PAD = 4;

    private TensorFit() {
    }

    /** Where the float tensor sits in the kmodel tensor. */
    public record Window(int row, int col, int step) {
        public static final Window WHOLE = new Window(0, 0, 1);

        public boolean whole() {
            return row == 0 && col == 0 && step == 1;
        }

        @Override
        public String toString() {
            return whole() ? "whole" : step == 1 ? "window at row " + row + ", col " + col
                    : "every " + step + "nd row/col from row " + row + ", col " + col;
        }
    }

    /**
     * One comparison: the window, the shape compared (C, H, W of the float tensor), the K210 values on that window
     * (dequantized, CHW) and the float values (CHW), and the error.
     */
    public record Fit(Window window, int[] chw, float[] k210, float[] reference, ErrorStats stats) {
    }

    /** The float tensor as [C, H, W] (vectors and matrices are C×1×1 in row-major order). */
    public static int[] chwOf(Tensor f) {
        return f.rank() == 3 ? new int[] {f.dim(2), f.dim(0), f.dim(1)} : new int[] {f.size(), 1, 1};
    }

    static float[] hwcToChw(float[] hwc, int c, int hw) {
        float[] out = new float[hwc.length];
        for (int i = 0; i < hw; i++) {
            for (int ch = 0; ch < c; ch++) {
                out[ch * hw + i] = hwc[i * c + ch];
            }
        }
        return out;
    }

    /**
     * The best fit of a kmodel tensor over a float tensor, or null when no window fits. {@code kChw} null means the
     * kmodel tensor's shape is unknown (a flat V4 snapshot): it then fits only a float tensor of the same size, in
     * CHW order. {@code dequantized} false means the values are uint8 codes of an unknown scale: they are compared
     * after the least-squares affine map to the float values.
     */
    public static Fit fit(float[] k, int[] kChw, Tensor f, boolean dequantized) {
        int[] fs = chwOf(f);
        float[] fv = OutputMap.ofFloat(f).chw();
        if (kChw == null) {
            return k.length == fv.length ? compare(Window.WHOLE, fs, k, fv, dequantized) : null;
        }
        if (f.rank() == 1 && kChw[0] * kChw[1] * kChw[2] == fv.length && kChw[1] * kChw[2] > 1) {
            // a flattened map (Flatten/Reshape in TensorFlow's HWC order) against the kmodel's C×H×W map
            return compare(Window.WHOLE, kChw, k, hwcToChw(fv, kChw[0], kChw[1] * kChw[2]), dequantized);
        }
        if (kChw[0] != fs[0]) {
            return null;
        }
        int kh = kChw[1];
        int kw = kChw[2];
        int fh = fs[1];
        int fw = fs[2];
        if (kh == fh && kw == fw) {
            return compare(Window.WHOLE, fs, k, fv, dequantized);
        }
        Fit best = null;
        if (kh >= fh && kw >= fw && kh - fh <= MAX_PAD && kw - fw <= MAX_PAD) {
            for (int r = 0; r <= kh - fh; r++) {
                for (int c = 0; c <= kw - fw; c++) {
                    best = better(best, compare(new Window(r, c, 1), kChw, k, fs, fv, dequantized));
                }
            }
        }
        if (fh > 1 && fw > 1 && kh >= 2 * fh - 1 && kh <= 2 * fh + 2 && kw >= 2 * fw - 1 && kw <= 2 * fw + 2) {
            for (int r = 0; r <= 2 && r + 2 * (fh - 1) < kh; r++) {
                for (int c = 0; c <= 2 && c + 2 * (fw - 1) < kw; c++) {
                    best = better(best, compare(new Window(r, c, 2), kChw, k, fs, fv, dequantized));
                }
            }
        }
        return best;
    }

    private static Fit better(Fit a, Fit b) {
        return a == null || b.stats().cosine() > a.stats().cosine() ? b : a;
    }

    private static Fit compare(Window w, int[] kChw, float[] k, int[] fs, float[] fv, boolean dequantized) {
        int c = fs[0];
        int h = fs[1];
        int wd = fs[2];
        float[] cut = new float[c * h * wd];
        int kh = kChw[1];
        int kw = kChw[2];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int src = (ch * kh + w.row() + w.step() * y) * kw + w.col();
                int dst = (ch * h + y) * wd;
                for (int x = 0; x < wd; x++) {
                    cut[dst + x] = k[src + w.step() * x];
                }
            }
        }
        return compare(w, fs, cut, fv, dequantized);
    }

    private static Fit compare(Window w, int[] chw, float[] k, float[] fv, boolean dequantized) {
        float[] kv = dequantized ? k : affineBack(fv, k);
        return new Fit(w, chw, kv, fv, ErrorStats.of(fv, kv));
    }

    /** Fits q ≈ a·x + b (least squares) and maps q back to x̂ = (q − b)/a. */
    static float[] affineBack(float[] x, float[] q) {
        double n = x.length;
        double sx = 0;
        double sq = 0;
        double sxx = 0;
        double sxq = 0;
        for (int i = 0; i < x.length; i++) {
            sx += x[i];
            sq += q[i];
            sxx += (double) x[i] * x[i];
            sxq += (double) x[i] * q[i];
        }
        double den = n * sxx - sx * sx;
        double a = den == 0 ? 0 : (n * sxq - sx * sq) / den;
        double b = (sq - a * sx) / n;
        float[] back = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            back[i] = a == 0 ? (float) (sx / n) : (float) ((q[i] - b) / a);
        }
        return back;
    }
}
