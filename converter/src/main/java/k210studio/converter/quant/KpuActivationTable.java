package k210studio.converter.quant;

import java.util.function.DoubleUnaryOperator;

/**
 * The KPU's 16-segment activation table (kpu-arith.md §3.4, §4.6; kmodel-v3.md §5.6) and how each nncase
 * generation builds it. Packed as 18 u64 words: 16 × {shift 0–7, y_mul 8–23 (signed 16), x_start 24–59
 * (signed 36)} followed by the 16 result biases as bytes.
 */
public final class KpuActivationTable {
    public static final long X_START_MIN = -(1L << 35);

    private final long[] xStart = new long[16];
    private final int[] yMul = new int[16];
    private final int[] shift = new int[16];
    private final int[] bias = new int[16];

    public long xStart(int i) {
        return xStart[i];
    }

    public int yMul(int i) {
        return yMul[i];
    }

    public int shift(int i) {
        return shift[i];
    }

    public int bias(int i) {
        return bias[i];
    }

    void set(int i, long start, long mul, int sh, long b) {
        xStart[i] = start;
        yMul[i] = (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, mul));
        shift[i] = sh;
        bias[i] = Rounding.clampU8(b);
    }

    /** The 18 packed words as the KPU reads them. */
    public long[] words() {
        long[] w = new long[18];
        for (int i = 0; i < 16; i++) {
            w[i] = (shift[i] & 0xFFL) | ((yMul[i] & 0xFFFFL) << 8) | ((xStart[i] & 0xF_FFFF_FFFFL) << 24);
        }
        for (int i = 0; i < 16; i++) {
            w[16 + i / 8] |= (bias[i] & 0xFFL) << (8 * (i % 8));
        }
        return w;
    }

    // ------------------------------------------------------------------ V3 (nncase 0.1.0-rc5)

    /** rc5's fixed table for linear/ReLU/ReLU6: y = round(bn / 1024) for bn ≥ 0, else 0. */
    public static KpuActivationTable v3Linear() {
        long[] starts = {X_START_MIN, -2192771912L, -1898601972L, -1604432032L, -1293919318L, -999749378L, -705579438L,
            -411409498L, -100896784L, -2840137L, 0L, (1L << 35) - 16, (1L << 35) - 15, (1L << 35) - 14, (1L << 35) - 13,
            (1L << 35) - 12};
        KpuActivationTable t = new KpuActivationTable();
        FixedMul one = FixedMul.v3(1.0 / 1024, 16, 20);
        for (int i = 0; i < 16; i++) {
            if (i == 10) {
                t.set(i, starts[i], one.mul(), one.shift(), 0);
            } else {
                t.set(i, starts[i], 0, 0, 0);
            }
        }
        return t;
    }

    /**
     * rc5's leaky-ReLU table for an output whose zero point is {@code zp} (bn = 1024 · quantized value):
     * 14 slope-α segments on y-levels floor(j·zp/14) below zero, then slope 1 from zero.
     */
    public static KpuActivationTable v3Leaky(double alpha, int zp) {
        KpuActivationTable t = new KpuActivationTable();
        long zero = (long) zp * 1024;
        FixedMul slope = FixedMul.v3(alpha / 1024, 16, 20);
        FixedMul one = FixedMul.v3(1.0 / 1024, 16, 20);
        t.set(0, X_START_MIN, 0, 0, 0);
        for (int j = 0; j < 14; j++) {
            long level = Math.floorDiv((long) j * zp, 14);
            long start = (long) Math.floor(zero - (zero - level * 1024) / alpha);
            t.set(j + 1, start, slope.mul(), slope.shift(), level);
        }
        t.set(15, zero, one.mul(), one.shift(), zp);
        return t;
    }

    // ------------------------------------------------------------------ V4 (nncase 0.2.0-beta4)

    /**
     * beta4's generic table: sample the activation over the representable input range, fit 15 linear segments
     * by merging the adjacent pair with the smallest slope difference, and encode them (float32 throughout).
     *
     * @param y        quantization of the conv output (before a fused unary activation)
     * @param z        quantization of the final output (equal to y when there is no fused unary)
     * @param clampLo  lower bound of the fused clamp (0 for ReLU/ReLU6, −∞ for none)
     * @param clampHi  upper bound of the fused clamp (6 for ReLU6, +∞ otherwise)
     * @param f        the fused unary activation (identity if none), evaluated in float
     * @param sAct     the BN output scale (bn ≈ sAct · pre-activation value), see {@link KpuBatchNorm}
     */
    public static KpuActivationTable v4Fitted(QuantParam y, QuantParam z, float clampLo, float clampHi,
                                              DoubleUnaryOperator f, double sAct) {
        float sy = (float) y.scale();
        float xMin = clamp((0f - y.zeroPoint()) / sy, clampLo, clampHi);
        float xMax = clamp((255f - y.zeroPoint()) / sy, clampLo, clampHi);
        int samples = 1024;
        float step = (xMax - xMin) / (samples - 1);
        float[] xs = new float[samples];
        float[] ys = new float[samples];
        for (int i = 0; i < samples; i++) {
            xs[i] = xMin + i * step;
            ys[i] = (float) f.applyAsDouble(xs[i]);
        }
        // segments between consecutive samples
        int n = samples - 1;
        float[] start = new float[n];
        float[] stop = new float[n];
        float[] yStart = new float[n];
        float[] slope = new float[n];
        for (int i = 0; i < n; i++) {
            start[i] = xs[i];
            stop[i] = xs[i + 1];
            yStart[i] = ys[i];
            slope[i] = (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]);
        }
        while (n > 15) {
            int best = 0;
            float bestDiff = Float.POSITIVE_INFINITY;
            for (int i = 0; i + 1 < n; i++) {
                float d = Math.abs(slope[i + 1] - slope[i]);
                if (d < bestDiff) {
                    bestDiff = d;
                    best = i;
                }
            }
            int r = best + 1;
            float yStop = yStart[r] + slope[r] * (stop[r] - start[r]);
            float newStop = stop[r];
            slope[best] = (yStop - yStart[best]) / (newStop - start[best]);
            stop[best] = newStop;
            System.arraycopy(start, r + 1, start, r, n - r - 1);
            System.arraycopy(stop, r + 1, stop, r, n - r - 1);
            System.arraycopy(yStart, r + 1, yStart, r, n - r - 1);
            System.arraycopy(slope, r + 1, slope, r, n - r - 1);
            n--;
        }
        KpuActivationTable t = new KpuActivationTable();
        t.set(0, X_START_MIN, 0, 0, 0);
        float sActF = (float) sAct;
        float sz = (float) z.scale();
        for (int j = 1; j <= 15; j++) {
            int s = j - 1;
            if (s >= n) {
                // fewer fitted segments than slots (degenerate range): unreachable starts
                t.set(j, (1L << 35) - 1 - (15 - j), 0, 0, 255);
                continue;
            }
            long xs0 = Rounding.halfAway(start[s] * sActF);
            FixedMul m = FixedMul.v4(slope[s] / (sActF / sz), 16, 20);
            long b = Rounding.halfAway(yStart[s] * sz + z.zeroPoint());
            t.set(j, xs0, m.mul(), m.shift(), b);
        }
        return t;
    }

    private static float clamp(float v, float lo, float hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
