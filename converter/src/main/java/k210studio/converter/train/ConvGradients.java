package k210studio.converter.train;

import k210studio.ir.layer.Padding;
import k210studio.ir.shape.ConvGeometry;

/**
 * Backward passes of the float evaluator's convolutions and Dense layer for one sample (NHWC, no batch axis,
 * the evaluator's weight layouts and TF-exact padding). Given the input {@code x} and the gradient {@code gy} of
 * the loss with respect to the layer's linear output (before its activation), each method adds the kernel
 * gradient into {@code gk}, the bias gradient into {@code gb} (when not null) and returns the gradient with
 * respect to the input ({@code null} when {@code wantInput} is false).
 */
final class ConvGradients {
    private ConvGradients() {
    }

    /** Conv2D: x [h,w,c], kernel HWIO [kh,kw,c,f], gy [oh,ow,f]. */
    static float[] conv2d(float[] x, int h, int w, int c, float[] k, int kh, int kw, int f, int sh, int sw, int dh, int dw,
                          Padding pad, float[] gy, float[] gk, float[] gb, boolean wantInput) {
        return windowed(x, h, w, c, k, kh, kw, f, f, 0, sh, sw, dh, dw, pad, gy, gk, gb, wantInput);
    }

    /** DepthwiseConv2D: kernel [kh,kw,c,m], output channel c·m + j, gy [oh,ow,c·m]. */
    static float[] depthwise(float[] x, int h, int w, int c, float[] k, int kh, int kw, int m, int sh, int sw, int dh, int dw,
                             Padding pad, float[] gy, float[] gk, float[] gb, boolean wantInput) {
        return windowed(x, h, w, c, k, kh, kw, c * m, m, m, sh, sw, dh, dw, pad, gy, gk, gb, wantInput);
    }

    /**
     * The window walk of Conv2D and DepthwiseConv2D: kernel [kh,kw,c,n] and gy [oh,ow,co]; input channel ic meets
     * the n output gradients from {@code ic · gyStride} on (0 for a full convolution, n for a depthwise one).
     */
    private static float[] windowed(float[] x, int h, int w, int c, float[] k, int kh, int kw, int co, int n, int gyStride,
                                    int sh, int sw, int dh, int dw, Padding pad, float[] gy, float[] gk, float[] gb,
                                    boolean wantInput) {
        ConvGeometry gyy = ConvGeometry.of(h, kh, sh, dh, pad);
        ConvGeometry gxx = ConvGeometry.of(w, kw, sw, dw, pad);
        int oh = gyy.out();
        int ow = gxx.out();
        float[] gx = wantInput ? new float[h * w * c] : null;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = (oy * ow + ox) * co;
                addBias(gy, o, co, gb);
                for (int ky = 0; ky < kh; ky++) {
                    int iy = oy * sh - gyy.padBefore() + ky * dh;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int kx = 0; kx < kw; kx++) {
                        int ix = ox * sw - gxx.padBefore() + kx * dw;
                        if (ix < 0 || ix >= w) {
                            continue;
                        }
                        int xb = (iy * w + ix) * c;
                        int wb = (ky * kw + kx) * c * n;
                        for (int ic = 0; ic < c; ic++) {
                            float s = row(x[xb + ic], gy, o + ic * gyStride, k, gk, wb + ic * n, n);
                            if (gx != null) {
                                gx[xb + ic] += s;
                            }
                        }
                    }
                }
            }
        }
        return gx;
    }

    /** Conv2DTranspose: kernel [kh,kw,f,c] (Keras layout), gy [oh,ow,f] with Keras' output size. */
    static float[] transposed(float[] x, int h, int w, int c, float[] k, int kh, int kw, int f, int sh, int sw, Padding pad,
                              float[] gy, float[] gk, float[] gb, boolean wantInput) {
        int oh = ConvGeometry.transposedOut(h, kh, sh, pad);
        int ow = ConvGeometry.transposedOut(w, kw, sw, pad);
        int padT = ConvGeometry.of(oh, kh, sh, 1, pad).padBefore();
        int padL = ConvGeometry.of(ow, kw, sw, 1, pad).padBefore();
        float[] gx = wantInput ? new float[h * w * c] : null;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = (oy * ow + ox) * f;
                addBias(gy, o, f, gb);
                for (int ky = 0; ky < kh; ky++) {
                    int ty = oy + padT - ky;
                    if (ty < 0 || ty % sh != 0 || ty / sh >= h) {
                        continue;
                    }
                    int iy = ty / sh;
                    for (int kx = 0; kx < kw; kx++) {
                        int tx = ox + padL - kx;
                        if (tx < 0 || tx % sw != 0 || tx / sw >= w) {
                            continue;
                        }
                        int xb = (iy * w + tx / sw) * c;
                        int wb = (ky * kw + kx) * f * c;
                        for (int oc = 0; oc < f; oc++) {
                            float g = gy[o + oc];
                            int wr = wb + oc * c;
                            for (int ic = 0; ic < c; ic++) {
                                gk[wr + ic] += g * x[xb + ic];
                                if (gx != null) {
                                    gx[xb + ic] += g * k[wr + ic];
                                }
                            }
                        }
                    }
                }
            }
        }
        return gx;
    }

    /** Dense on the last axis: x [rows, in], kernel [in, units], gy [rows, units]. */
    static float[] dense(float[] x, int rows, int in, float[] k, int units, float[] gy, float[] gk, float[] gb, boolean wantInput) {
        float[] gx = wantInput ? new float[rows * in] : null;
        for (int r = 0; r < rows; r++) {
            int go = r * units;
            addBias(gy, go, units, gb);
            for (int i = 0; i < in; i++) {
                float s = row(x[r * in + i], gy, go, k, gk, i * units, units);
                if (gx != null) {
                    gx[r * in + i] = s;
                }
            }
        }
        return gx;
    }

    /**
     * One input value {@code xv} against n outputs: adds {@code xv · gy[g0 + j]} into the kernel gradient row
     * {@code gk[wr + j]} and returns {@code Σ k[wr + j] · gy[g0 + j]}, its input gradient.
     */
    private static float row(float xv, float[] gy, int g0, float[] k, float[] gk, int wr, int n) {
        float s = 0f;
        for (int j = 0; j < n; j++) {
            float g = gy[g0 + j];
            gk[wr + j] += xv * g;
            s += k[wr + j] * g;
        }
        return s;
    }

    /** The bias gradient: the output gradient of one pixel (row) summed into {@code gb}, when there is a bias. */
    private static void addBias(float[] gy, int o, int n, float[] gb) {
        if (gb != null) {
            for (int i = 0; i < n; i++) {
                gb[i] += gy[o + i];
            }
        }
    }
}
