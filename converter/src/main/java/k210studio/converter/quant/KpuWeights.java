package k210studio.converter.quant;

/**
 * Quantized KPU conv weights (kpu-arith.md §4.3): per-output-channel equalisation factors e_o that stretch
 * each channel to the global range, one global (scale, zero point), and the unsigned integers in the
 * order the KPU reads them ([out][in][ky][kx], depthwise [ch][ky][kx]).
 *
 * @param q            quantized weights, 0…255 (8-bit) or 0…65535 (16-bit)
 * @param equalization e_o per output channel (folded into the BN multiplier)
 * @param param        the weight quantization (scale multiplies w·e_o)
 */
public record KpuWeights(int[] q, float[] equalization, QuantParam param) {

    /**
     * @param w      float weights, grouped by output channel: channel o owns w[o·perOut … (o+1)·perOut)
     * @param outC   number of output channels (groups)
     * @param bits   8 or 16 (16 only with V3 rules, as nncase 0.1 {@code --weights-bits 16})
     */
    public static KpuWeights quantize(float[] w, int outC, int bits, QuantRules rules) {
        if (w.length % outC != 0) {
            throw new IllegalArgumentException("weights do not split into " + outC + " channels");
        }
        int per = w.length / outC;
        ValueRange total = range(w, 0, w.length, rules);
        float[] eq = new float[outC];
        for (int o = 0; o < outC; o++) {
            ValueRange ch = range(w, o * per, per, rules);
            eq[o] = equalization(total, ch, rules);
        }
        float[] scaled = new float[w.length];
        for (int o = 0; o < outC; o++) {
            for (int i = 0; i < per; i++) {
                scaled[o * per + i] = w[o * per + i] * eq[o];
            }
        }
        QuantParam qp;
        if (rules == QuantRules.V4) {
            qp = QuantParam.v4(ValueRange.measureV4(scaled));
        } else {
            qp = QuantParam.v3(rawRange(scaled), bits);
        }
        int[] q = new int[w.length];
        int max = (1 << bits) - 1;
        for (int i = 0; i < w.length; i++) {
            long v = rules == QuantRules.V4
                    ? Rounding.halfAway((float) (scaled[i] * (float) qp.scale() + qp.zeroPoint()))
                    : Rounding.halfEven(scaled[i] * qp.scale() + qp.zeroPoint());
            q[i] = (int) Math.max(0, Math.min(max, v));
        }
        return new KpuWeights(q, eq, qp);
    }

    /** V4: fixed-up range; V3: rc5 get_range (no fix-up). */
    private static ValueRange range(float[] w, int from, int n, QuantRules rules) {
        float[] part = java.util.Arrays.copyOfRange(w, from, from + n);
        return rules == QuantRules.V4 ? ValueRange.measureV4(part).fixupV4() : ValueRange.measureV3(part);
    }

    private static ValueRange rawRange(float[] w) {
        return range(w, 0, w.length, QuantRules.V3);
    }

    /**
     * s1 = T.max / R.max, s2 = T.min / R.min; max(s1, s2) if either is negative, else min(s1, s2), with C++
     * {@code std::min/max} semantics on NaN/∞ (a zero-width side yields ±∞ or NaN and the other factor wins).
     */
    static float equalization(ValueRange total, ValueRange ch, QuantRules rules) {
        float s1 = total.max() / ch.max();
        float s2 = total.min() / ch.min();
        float e;
        if (s1 < 0 || s2 < 0) {
            e = (s1 < s2) ? s2 : s1; // std::max(s1, s2)
        } else {
            e = (s2 < s1) ? s2 : s1; // std::min(s1, s2)
        }
        if (!Float.isFinite(e) || e <= 0) {
            // a channel of zeros or one-sided degenerate range: take the finite positive factor, or 1
            if (Float.isFinite(s1) && s1 > 0) {
                e = s1;
            } else if (Float.isFinite(s2) && s2 > 0) {
                e = s2;
            } else {
                e = 1f;
            }
        }
        return e;
    }

    /** Σ q over one output channel's taps (used for arg_w · Σw by the KPU). */
    public long channelSum(int o) {
        int per = q.length / equalization.length;
        long s = 0;
        for (int i = o * per; i < (o + 1) * per; i++) {
            s += q[i];
        }
        return s;
    }
}
