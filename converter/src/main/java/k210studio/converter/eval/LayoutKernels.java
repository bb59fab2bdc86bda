package k210studio.converter.eval;

import k210studio.ir.layer.Interpolation;

/** Data movement: zero padding, concatenation and resizing (TF's nearest and bilinear rules). */
final class LayoutKernels {
    private LayoutKernels() {
    }

    static float[] zeroPad(float[] x, int h, int w, int c, int top, int bottom, int left, int right) {
        int oh = h + top + bottom;
        int ow = w + left + right;
        float[] out = new float[oh * ow * c];
        for (int y = 0; y < h; y++) {
            System.arraycopy(x, y * w * c, out, ((y + top) * ow + left) * c, w * c);
        }
        return out;
    }

    /** Concatenation along axis {@code axis} (no batch) of tensors with equal other dims. */
    static float[] concat(float[][] parts, int[][] shapes, int axis) {
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shapes[0][i];
        }
        int total = 0;
        int[] chunk = new int[parts.length];
        for (int p = 0; p < parts.length; p++) {
            chunk[p] = parts[p].length / Math.max(outer, 1);
            total += parts[p].length;
        }
        float[] out = new float[total];
        int o = 0;
        for (int a = 0; a < outer; a++) {
            for (int p = 0; p < parts.length; p++) {
                System.arraycopy(parts[p], a * chunk[p], out, o, chunk[p]);
                o += chunk[p];
            }
        }
        return out;
    }

    /**
     * Resize H×W×C to oh×ow×C as TF/TFLite do. Source coordinate of output index d with
     * scale = in/out: alignCorners → d·(in−1)/(out−1); halfPixel → (d+0.5)·scale (−0.5 for bilinear); else d·scale.
     */
    static float[] resize(float[] x, int h, int w, int c, int oh, int ow, Interpolation mode, boolean align, boolean half) {
        float[] out = new float[oh * ow * c];
        float sy = scale(h, oh, align);
        float sx = scale(w, ow, align);
        if (mode == Interpolation.NEAREST) {
            int[] xs = new int[ow];
            for (int ox = 0; ox < ow; ox++) {
                xs[ox] = nearest(ox, sx, w, align, half);
            }
            for (int oy = 0; oy < oh; oy++) {
                int iy = nearest(oy, sy, h, align, half);
                for (int ox = 0; ox < ow; ox++) {
                    System.arraycopy(x, (iy * w + xs[ox]) * c, out, (oy * ow + ox) * c, c);
                }
            }
            return out;
        }
        for (int oy = 0; oy < oh; oy++) {
            float fy = half ? (oy + 0.5f) * sy - 0.5f : oy * sy;
            int y0 = Math.max((int) Math.floor(fy), 0);
            int y1 = Math.min((int) Math.ceil(fy), h - 1);
            float ly = fy - (float) Math.floor(fy);
            if (y0 > h - 1) {
                y0 = h - 1;
            }
            for (int ox = 0; ox < ow; ox++) {
                float fx = half ? (ox + 0.5f) * sx - 0.5f : ox * sx;
                int x0 = Math.max((int) Math.floor(fx), 0);
                int x1 = Math.min((int) Math.ceil(fx), w - 1);
                float lx = fx - (float) Math.floor(fx);
                if (x0 > w - 1) {
                    x0 = w - 1;
                }
                int o = (oy * ow + ox) * c;
                int a = (y0 * w + x0) * c;
                int b = (y0 * w + x1) * c;
                int d = (y1 * w + x0) * c;
                int e = (y1 * w + x1) * c;
                for (int ch = 0; ch < c; ch++) {
                    float top = x[a + ch] + (x[b + ch] - x[a + ch]) * lx;
                    float bot = x[d + ch] + (x[e + ch] - x[d + ch]) * lx;
                    out[o + ch] = top + (bot - top) * ly;
                }
            }
        }
        return out;
    }

    private static float scale(int in, int out, boolean align) {
        if (align && out > 1) {
            return (in - 1) / (float) (out - 1);
        }
        return in / (float) out;
    }

    private static int nearest(int d, float s, int in, boolean align, boolean half) {
        int v;
        if (align) {
            v = Math.round(d * s);
        } else {
            v = (int) Math.floor((d + (half ? 0.5f : 0f)) * s);
        }
        return Math.max(0, Math.min(v, in - 1));
    }
}
