package k210studio.converter.train;

import k210studio.ir.layer.Interpolation;

/**
 * Backward passes of data movement for one sample: zero padding (crop the gradient), concatenation (split it),
 * resizing (the transpose of the evaluator's nearest/bilinear sampling, with TF's coordinate rules) and numpy
 * broadcasting (sum the gradient over the broadcast axes).
 */
final class LayoutGradients {
    private LayoutGradients() {
    }

    static float[] crop(float[] gy, int h, int w, int c, int top, int left, int ow) {
        float[] gx = new float[h * w * c];
        for (int y = 0; y < h; y++) {
            System.arraycopy(gy, ((y + top) * ow + left) * c, gx, y * w * c, w * c);
        }
        return gx;
    }

    /** The parts of a concatenation's gradient along {@code axis} (no batch), for inputs of these shapes. */
    static float[][] split(float[] gy, int[][] shapes, int axis) {
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shapes[0][i];
        }
        float[][] parts = new float[shapes.length][];
        int[] chunk = new int[shapes.length];
        for (int p = 0; p < shapes.length; p++) {
            int n = 1;
            for (int d : shapes[p]) {
                n *= d;
            }
            parts[p] = new float[n];
            chunk[p] = n / Math.max(outer, 1);
        }
        int o = 0;
        for (int a = 0; a < outer; a++) {
            for (int p = 0; p < shapes.length; p++) {
                System.arraycopy(gy, o, parts[p], a * chunk[p], chunk[p]);
                o += chunk[p];
            }
        }
        return parts;
    }

    /** The transpose of the evaluator's resize H×W×C → oh×ow×C (same source coordinates and weights). */
    static float[] resize(float[] gy, int h, int w, int c, int oh, int ow, Interpolation mode, boolean align, boolean half) {
        float[] gx = new float[h * w * c];
        float sy = scale(h, oh, align);
        float sx = scale(w, ow, align);
        if (mode == Interpolation.NEAREST) {
            for (int oy = 0; oy < oh; oy++) {
                int iy = nearest(oy, sy, h, align, half);
                for (int ox = 0; ox < ow; ox++) {
                    int ix = nearest(ox, sx, w, align, half);
                    int o = (oy * ow + ox) * c;
                    int i = (iy * w + ix) * c;
                    for (int ch = 0; ch < c; ch++) {
                        gx[i + ch] += gy[o + ch];
                    }
                }
            }
            return gx;
        }
        for (int oy = 0; oy < oh; oy++) {
            float fy = half ? (oy + 0.5f) * sy - 0.5f : oy * sy;
            int y0 = Math.min(Math.max((int) Math.floor(fy), 0), h - 1);
            int y1 = Math.min((int) Math.ceil(fy), h - 1);
            float ly = fy - (float) Math.floor(fy);
            for (int ox = 0; ox < ow; ox++) {
                float fx = half ? (ox + 0.5f) * sx - 0.5f : ox * sx;
                int x0 = Math.min(Math.max((int) Math.floor(fx), 0), w - 1);
                int x1 = Math.min((int) Math.ceil(fx), w - 1);
                float lx = fx - (float) Math.floor(fx);
                int o = (oy * ow + ox) * c;
                int a = (y0 * w + x0) * c;
                int b = (y0 * w + x1) * c;
                int d = (y1 * w + x0) * c;
                int e = (y1 * w + x1) * c;
                for (int ch = 0; ch < c; ch++) {
                    // out = top + (bot − top)·ly, top = xa + (xb − xa)·lx, bot = xd + (xe − xd)·lx
                    float g = gy[o + ch];
                    float gt = g * (1 - ly);
                    float gbot = g * ly;
                    gx[a + ch] += gt * (1 - lx);
                    gx[b + ch] += gt * lx;
                    gx[d + ch] += gbot * (1 - lx);
                    gx[e + ch] += gbot * lx;
                }
            }
        }
        return gx;
    }

    private static float scale(int in, int out, boolean align) {
        return align && out > 1 ? (in - 1) / (float) (out - 1) : in / (float) out;
    }

    private static int nearest(int d, float s, int in, boolean align, boolean half) {
        int v = align ? Math.round(d * s) : (int) Math.floor((d + (half ? 0.5f : 0f)) * s);
        return Math.max(0, Math.min(v, in - 1));
    }

    /** Index into an input of shape {@code in} (right-aligned, broadcast axes of size 1) for each output element. */
    static int[] broadcastIndex(int[] in, int[] out) {
        int n = 1;
        for (int d : out) {
            n *= d;
        }
        int rank = out.length;
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = in.length - 1; i >= 0; i--) {
            int j = i + rank - in.length;
            strides[j] = in[i] == 1 && out[j] != 1 ? 0 : stride;
            stride *= in[i];
        }
        int[] map = new int[n];
        int[] idx = new int[rank];
        int at = 0;
        for (int i = 0; i < n; i++) {
            map[i] = at;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                at += strides[d];
                if (idx[d] < out[d]) {
                    break;
                }
                at -= strides[d] * out[d];
                idx[d] = 0;
            }
        }
        return map;
    }
}
