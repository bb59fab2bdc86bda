package k210studio.converter.eval;

import k210studio.ir.layer.Padding;
import k210studio.ir.shape.ConvGeometry;

/** Max and average pooling (TF 'same': max ignores padding, average counts only real inputs) and global pools. */
final class PoolKernels {
    private PoolKernels() {
    }

    static float[] pool(float[] x, int h, int w, int c, int ph, int pw, int sh, int sw, Padding pad, boolean max,
                        int[] outHw) {
        ConvGeometry gy = ConvGeometry.of(h, ph, sh, 1, pad);
        ConvGeometry gx = ConvGeometry.of(w, pw, sw, 1, pad);
        int oh = gy.out();
        int ow = gx.out();
        outHw[0] = oh;
        outHw[1] = ow;
        float[] out = new float[oh * ow * c];
        float[] acc = new float[c];
        for (int oy = 0; oy < oh; oy++) {
            int y0 = Math.max(oy * sh - gy.padBefore(), 0);
            int y1 = Math.min(oy * sh - gy.padBefore() + ph, h);
            for (int ox = 0; ox < ow; ox++) {
                int x0 = Math.max(ox * sw - gx.padBefore(), 0);
                int x1 = Math.min(ox * sw - gx.padBefore() + pw, w);
                java.util.Arrays.fill(acc, max ? Float.NEGATIVE_INFINITY : 0f);
                for (int y = y0; y < y1; y++) {
                    for (int xx = x0; xx < x1; xx++) {
                        int b = (y * w + xx) * c;
                        if (max) {
                            for (int ch = 0; ch < c; ch++) {
                                acc[ch] = Math.max(acc[ch], x[b + ch]);
                            }
                        } else {
                            for (int ch = 0; ch < c; ch++) {
                                acc[ch] += x[b + ch];
                            }
                        }
                    }
                }
                int n = Math.max((y1 - y0) * (x1 - x0), 1);
                int o = (oy * ow + ox) * c;
                for (int ch = 0; ch < c; ch++) {
                    out[o + ch] = max ? acc[ch] : acc[ch] / n;
                }
            }
        }
        return out;
    }

    static float[] global(float[] x, int h, int w, int c, boolean max) {
        float[] out = new float[c];
        if (max) {
            java.util.Arrays.fill(out, Float.NEGATIVE_INFINITY);
        }
        double[] sum = new double[c];
        for (int p = 0; p < h * w; p++) {
            int b = p * c;
            for (int ch = 0; ch < c; ch++) {
                if (max) {
                    out[ch] = Math.max(out[ch], x[b + ch]);
                } else {
                    sum[ch] += x[b + ch];
                }
            }
        }
        if (!max) {
            for (int ch = 0; ch < c; ch++) {
                out[ch] = (float) (sum[ch] / (h * w));
            }
        }
        return out;
    }
}
