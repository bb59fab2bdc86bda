package k210studio.converter.eval;

import java.util.stream.IntStream;
import k210studio.ir.layer.Padding;
import k210studio.ir.shape.ConvGeometry;

/**
 * Float NHWC convolutions with TF-exact padding. Direct loops ordered so the innermost loop runs
 * over contiguous output channels (HWIO kernels), parallel over output rows for large layers.
 */
final class ConvKernels {
    private ConvKernels() {
    }

    /** Work (multiply-adds) above which rows are computed in parallel. */
    private static final long PARALLEL_MACS = 200_000;

    static void rows(int n, long macs, java.util.function.IntConsumer row) {
        if (macs >= PARALLEL_MACS && n > 1) {
            IntStream.range(0, n).parallel().forEach(row);
        } else {
            for (int i = 0; i < n; i++) {
                row.accept(i);
            }
        }
    }

    /**
     * Conv2D. x [H,W,C], kernel HWIO [kh,kw,C,F], bias [F] or null → [OH,OW,F].
     */
    static float[] conv2d(float[] x, int h, int w, int c, float[] k, int kh, int kw, int f, float[] bias,
                          int sh, int sw, int dh, int dw, Padding pad, int[] outHw) {
        ConvGeometry gy = ConvGeometry.of(h, kh, sh, dh, pad);
        ConvGeometry gx = ConvGeometry.of(w, kw, sw, dw, pad);
        int oh = gy.out();
        int ow = gx.out();
        outHw[0] = oh;
        outHw[1] = ow;
        float[] out = new float[oh * ow * f];
        int padT = gy.padBefore();
        int padL = gx.padBefore();
        long macs = (long) oh * ow * f * c * kh * kw;
        if (kh == 1 && kw == 1 && sh == 1 && sw == 1 && padT == 0 && padL == 0) {
            pointwise(x, h * w, c, k, f, bias, out, macs);
            return out;
        }
        int kdim = kh * kw * c;
        ThreadLocal<float[]> patches = ThreadLocal.withInitial(() -> new float[ow * kdim]);
        rows(oh, macs, oy -> {
            // im2col of one output row: patch[ox][ky][kx][ic] (zeros where the window leaves the input)
            float[] patch = patches.get();
            java.util.Arrays.fill(patch, 0f);
            for (int ox = 0; ox < ow; ox++) {
                int pb = ox * kdim;
                for (int ky = 0; ky < kh; ky++) {
                    int iy = oy * sh - padT + ky * dh;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int kx = 0; kx < kw; kx++) {
                        int ix = ox * sw - padL + kx * dw;
                        if (ix < 0 || ix >= w) {
                            continue;
                        }
                        System.arraycopy(x, (iy * w + ix) * c, patch, pb + (ky * kw + kx) * c, c);
                    }
                }
            }
            gemm(patch, 0, ow, kdim, k, f, bias, out, oy * ow * f);
        });
        return out;
    }

    /**
     * 1×1 stride-1 convolution as a matrix product out[P, F] = x[P, C] · k[C, F] (+ bias), four pixels
     * at a time so each weight row is loaded once per block.
     */
    private static void pointwise(float[] x, int pixels, int c, float[] k, int f, float[] bias, float[] out, long macs) {
        int blocks = (pixels + 63) / 64;
        rows(blocks, macs, blk -> {
            int p0 = blk * 64;
            int n = Math.min(64, pixels - p0);
            gemm(x, p0 * c, n, c, k, f, bias, out, p0 * f);
        });
    }

    /**
     * out[r, :] = bias + a[r, :] · k for {@code rows} rows of {@code a} (row length kdim, starting at
     * aOff) and k [kdim, f]; four rows at a time so each weight row is loaded once per block.
     */
    static void gemm(float[] a, int aOff, int rows, int kdim, float[] k, int f, float[] bias, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            if (bias != null) {
                System.arraycopy(bias, 0, out, outOff + r * f, f);
            }
        }
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o0 = outOff + r * f;
            int o1 = o0 + f;
            int o2 = o1 + f;
            int o3 = o2 + f;
            int x0 = aOff + r * kdim;
            for (int i = 0; i < kdim; i++) {
                float a0 = a[x0 + i];
                float a1 = a[x0 + kdim + i];
                float a2 = a[x0 + 2 * kdim + i];
                float a3 = a[x0 + 3 * kdim + i];
                int wr = i * f;
                for (int oc = 0; oc < f; oc++) {
                    float wv = k[wr + oc];
                    out[o0 + oc] += a0 * wv;
                    out[o1 + oc] += a1 * wv;
                    out[o2 + oc] += a2 * wv;
                    out[o3 + oc] += a3 * wv;
                }
            }
        }
        for (; r < rows; r++) {
            int o = outOff + r * f;
            int xb = aOff + r * kdim;
            for (int i = 0; i < kdim; i++) {
                float av = a[xb + i];
                int wr = i * f;
                for (int oc = 0; oc < f; oc++) {
                    out[o + oc] += av * k[wr + oc];
                }
            }
        }
    }

    /** DepthwiseConv2D. kernel [kh,kw,C,M]; output channel c·M + m. */
    static float[] depthwise(float[] x, int h, int w, int c, float[] k, int kh, int kw, int m, float[] bias,
                             int sh, int sw, int dh, int dw, Padding pad, int[] outHw) {
        ConvGeometry gy = ConvGeometry.of(h, kh, sh, dh, pad);
        ConvGeometry gx = ConvGeometry.of(w, kw, sw, dw, pad);
        int oh = gy.out();
        int ow = gx.out();
        outHw[0] = oh;
        outHw[1] = ow;
        int co = c * m;
        float[] out = new float[oh * ow * co];
        int padT = gy.padBefore();
        int padL = gx.padBefore();
        long macs = (long) oh * ow * co * kh * kw;
        rows(oh, macs, oy -> {
            for (int ox = 0; ox < ow; ox++) {
                int o = (oy * ow + ox) * co;
                if (bias != null) {
                    System.arraycopy(bias, 0, out, o, co);
                }
                for (int ky = 0; ky < kh; ky++) {
                    int iy = oy * sh - padT + ky * dh;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int kx = 0; kx < kw; kx++) {
                        int ix = ox * sw - padL + kx * dw;
                        if (ix < 0 || ix >= w) {
                            continue;
                        }
                        int xb = (iy * w + ix) * c;
                        int wb = (ky * kw + kx) * co;
                        if (m == 1) {
                            for (int ic = 0; ic < c; ic++) {
                                out[o + ic] += x[xb + ic] * k[wb + ic];
                            }
                        } else {
                            for (int ic = 0; ic < c; ic++) {
                                float xv = x[xb + ic];
                                int ob = o + ic * m;
                                int wr = wb + ic * m;
                                for (int j = 0; j < m; j++) {
                                    out[ob + j] += xv * k[wr + j];
                                }
                            }
                        }
                    }
                }
            }
        });
        return out;
    }

    /** Conv2DTranspose. kernel [kh,kw,F,C] (Keras layout) → [OH,OW,F] with Keras' output size. */
    static float[] transposed(float[] x, int h, int w, int c, float[] k, int kh, int kw, int f, float[] bias,
                              int sh, int sw, Padding pad, int[] outHw) {
        int oh = ConvGeometry.transposedOut(h, kh, sh, pad);
        int ow = ConvGeometry.transposedOut(w, kw, sw, pad);
        outHw[0] = oh;
        outHw[1] = ow;
        int padT = ConvGeometry.of(oh, kh, sh, 1, pad).padBefore();
        int padL = ConvGeometry.of(ow, kw, sw, 1, pad).padBefore();
        float[] out = new float[oh * ow * f];
        // gather form (one output row per task, no write races): out[oy] sums x[iy] with iy·s + ky − pad = oy
        long macs = (long) h * w * f * c * kh * kw;
        rows(oh, macs, oy -> {
            for (int ox = 0; ox < ow; ox++) {
                int o = (oy * ow + ox) * f;
                if (bias != null) {
                    System.arraycopy(bias, 0, out, o, f);
                }
                for (int ky = 0; ky < kh; ky++) {
                    int ty = oy + padT - ky;
                    if (ty < 0 || ty % sh != 0) {
                        continue;
                    }
                    int iy = ty / sh;
                    if (iy >= h) {
                        continue;
                    }
                    for (int kx = 0; kx < kw; kx++) {
                        int tx = ox + padL - kx;
                        if (tx < 0 || tx % sw != 0) {
                            continue;
                        }
                        int ix = tx / sw;
                        if (ix >= w) {
                            continue;
                        }
                        int xb = (iy * w + ix) * c;
                        int wb = (ky * kw + kx) * f * c;
                        for (int oc = 0; oc < f; oc++) {
                            float s = 0;
                            int wr = wb + oc * c;
                            for (int ic = 0; ic < c; ic++) {
                                s += x[xb + ic] * k[wr + ic];
                            }
                            out[o + oc] += s;
                        }
                    }
                }
            }
        });
        return out;
    }

    /** Dense on the last axis: x [rows, in] · kernel [in, units] + bias. */
    static float[] dense(float[] x, int rows, int in, float[] k, int units, float[] bias) {
        float[] out = new float[rows * units];
        for (int r = 0; r < rows; r++) {
            int o = r * units;
            if (bias != null) {
                System.arraycopy(bias, 0, out, o, units);
            }
            for (int i = 0; i < in; i++) {
                float xv = x[r * in + i];
                if (xv == 0f) {
                    continue;
                }
                int wr = i * units;
                for (int u = 0; u < units; u++) {
                    out[o + u] += xv * k[wr + u];
                }
            }
        }
        return out;
    }
}
