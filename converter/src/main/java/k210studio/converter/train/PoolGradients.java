package k210studio.converter.train;

import k210studio.ir.layer.Padding;
import k210studio.ir.shape.ConvGeometry;

/**
 * Backward passes of the evaluator's pools for one sample: max pooling sends each output's gradient to the
 * first input of its window holding the maximum, average pooling spreads it over the real (unpadded) inputs of
 * the window (TF 'same' counts only those), global pools over the whole map.
 */
final class PoolGradients {
    private PoolGradients() {
    }

    static float[] pool(float[] x, int h, int w, int c, int ph, int pw, int sh, int sw, Padding pad, boolean max, float[] gy) {
        ConvGeometry gyy = ConvGeometry.of(h, ph, sh, 1, pad);
        ConvGeometry gxx = ConvGeometry.of(w, pw, sw, 1, pad);
        int oh = gyy.out();
        int ow = gxx.out();
        float[] gx = new float[h * w * c];
        for (int oy = 0; oy < oh; oy++) {
            int y0 = Math.max(oy * sh - gyy.padBefore(), 0);
            int y1 = Math.min(oy * sh - gyy.padBefore() + ph, h);
            for (int ox = 0; ox < ow; ox++) {
                int x0 = Math.max(ox * sw - gxx.padBefore(), 0);
                int x1 = Math.min(ox * sw - gxx.padBefore() + pw, w);
                int o = (oy * ow + ox) * c;
                if (max) {
                    for (int ch = 0; ch < c; ch++) {
                        int best = -1;
                        float bv = Float.NEGATIVE_INFINITY;
                        for (int y = y0; y < y1; y++) {
                            for (int xx = x0; xx < x1; xx++) {
                                int i = (y * w + xx) * c + ch;
                                if (best < 0 || x[i] > bv) {
                                    best = i;
                                    bv = x[i];
                                }
                            }
                        }
                        if (best >= 0) {
                            gx[best] += gy[o + ch];
                        }
                    }
                } else {
                    int n = Math.max((y1 - y0) * (x1 - x0), 1);
                    for (int y = y0; y < y1; y++) {
                        for (int xx = x0; xx < x1; xx++) {
                            int b = (y * w + xx) * c;
                            for (int ch = 0; ch < c; ch++) {
                                gx[b + ch] += gy[o + ch] / n;
                            }
                        }
                    }
                }
            }
        }
        return gx;
    }

    static float[] global(float[] x, int h, int w, int c, boolean max, float[] gy) {
        float[] gx = new float[h * w * c];
        if (max) {
            for (int ch = 0; ch < c; ch++) {
                int best = ch;
                for (int p = 1; p < h * w; p++) {
                    if (x[p * c + ch] > x[best]) {
                        best = p * c + ch;
                    }
                }
                gx[best] = gy[ch];
            }
            return gx;
        }
        float inv = 1f / (h * w);
        for (int p = 0; p < h * w; p++) {
            for (int ch = 0; ch < c; ch++) {
                gx[p * c + ch] = gy[ch] * inv;
            }
        }
        return gx;
    }
}
