package k210studio.app.simulate;

import k210studio.ir.tensor.Tensor;

/**
 * One layer output as float values in CHW order (vectors are C×1×1), the form both sides are compared and drawn in.
 */
public record FeatureMap(int c, int h, int w, float[] chw) {

    public FeatureMap {
        if ((long) c * h * w != chw.length) {
            throw new IllegalArgumentException(c + "x" + h + "x" + w + " needs " + (long) c * h * w + " values, got " + chw.length);
        }
    }

    /** A float evaluator tensor: [H, W, C] images become CHW, anything else a C×1×1 vector in its own order. */
    public static FeatureMap ofNhwc(Tensor t) {
        k210studio.converter.evaluate.OutputMap m = k210studio.converter.evaluate.OutputMap.ofFloat(t);
        return new FeatureMap(m.c(), m.h(), m.w(), m.chw());
    }

    public int size() {
        return chw.length;
    }

    public boolean sameGeometry(FeatureMap o) {
        return o != null && o.c == c && o.h == h && o.w == w;
    }

    /** Element-wise this − other (same geometry). */
    public FeatureMap minus(FeatureMap o) {
        float[] d = new float[chw.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = chw[i] - o.chw[i];
        }
        return new FeatureMap(c, h, w, d);
    }

    /** Cosine similarity; 1 for two all-zero maps, 0 when one of them is all zero. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 && nb == 0) {
            return 1;
        }
        if (na == 0 || nb == 0) {
            return 0;
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Largest |a[i] − b[i]|. */
    public static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
