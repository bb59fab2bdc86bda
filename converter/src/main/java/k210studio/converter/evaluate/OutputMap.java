package k210studio.converter.evaluate;

import k210studio.ir.tensor.Tensor;
import k210studio.kpu.kmodel.KmodelTensor;

/**
 * One model output in the kmodel's order, the form both sides are decoded and compared in: images C×H×W, anything
 * else a C×1×1 vector in its own order.
 */
public record OutputMap(int c, int h, int w, float[] chw) {

    public OutputMap {
        if ((long) c * h * w != chw.length) {
            throw new IllegalArgumentException(c + "×" + h + "×" + w + " needs " + (long) c * h * w + " values, got " + chw.length);
        }
    }

    /** A float evaluator output: [H, W, C] becomes C×H×W, other ranks a vector. */
    public static OutputMap ofFloat(Tensor t) {
        float[] d = t.data();
        if (t.rank() == 3) {
            int h = t.dim(0);
            int w = t.dim(1);
            int c = t.dim(2);
            float[] out = new float[d.length];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        out[(ch * h + y) * w + x] = d[(y * w + x) * c + ch];
                    }
                }
            }
            return new OutputMap(c, h, w, out);
        }
        return new OutputMap(d.length, 1, 1, d.clone());
    }

    /** A kmodel output: its last three dimensions are C, H, W (a vector when it has fewer or they do not multiply out). */
    public static OutputMap ofKmodel(KmodelTensor t) {
        int[] s = t.shape();
        float[] x = t.toFloatArray();
        if (s.length >= 3 && (long) s[s.length - 3] * s[s.length - 2] * s[s.length - 1] == x.length) {
            return new OutputMap(s[s.length - 3], s[s.length - 2], s[s.length - 1], x);
        }
        return new OutputMap(x.length, 1, 1, x);
    }

    public int size() {
        return chw.length;
    }
}
