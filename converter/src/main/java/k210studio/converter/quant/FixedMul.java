package k210studio.converter.quant;

/**
 * A real multiplier as an integer and a right shift: value ≈ mul / 2^shift (nncase {@code get_fixed_mul} /
 * rc5 {@code ExtractValueAndShift}, kpu-arith.md §4.5). With v = m·2^e, m ∈ [0.5, 1):
 * shift = min(maxShift, bits − 1 − e), mul = round(v · 2^shift).
 *
 * @param mul      the rounded integer multiplier
 * @param shift    the right shift
 * @param unrounded v · 2^shift before rounding (V4 uses it to compute the BN post-scale)
 */
public record FixedMul(long mul, int shift, double unrounded) {

    /** V4: float32 arithmetic, half-away rounding. */
    public static FixedMul v4(float v, int bits, int maxShift) {
        if (v == 0) {
            return new FixedMul(0, 0, 0);
        }
        int e = exponent(v);
        int shift = Math.min(maxShift, bits - 1 - e);
        float m = (float) (v * Math.pow(2, shift));
        return new FixedMul(Rounding.halfAway(m), shift, m);
    }

    /** V3: double arithmetic, half-even rounding. */
    public static FixedMul v3(double v, int bits, int maxShift) {
        if (v == 0) {
            return new FixedMul(0, 0, 0);
        }
        int e = exponent(v);
        int shift = Math.min(maxShift, bits - 1 - e);
        double m = v * Math.pow(2, shift);
        return new FixedMul(Rounding.halfEven(m), shift, m);
    }

    public static FixedMul of(double v, int bits, int maxShift, QuantRules rules) {
        return rules == QuantRules.V4 ? v4((float) v, bits, maxShift) : v3(v, bits, maxShift);
    }

    /** frexp exponent: v = m · 2^e with 0.5 ≤ |m| < 1 (0 for v = 0). */
    static int exponent(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return 0;
        }
        return Math.getExponent(v) + 1;
    }

    public double value() {
        return mul / Math.pow(2, shift);
    }
}
