package k210studio.converter.quant;

/**
 * Affine uint8 quantization q = clamp(round(x · scale + zeroPoint), 0, 2^bits − 1), real x = (q − zeroPoint) / scale.
 * V3 describes the same thing with a "bias" = −zeroPoint ({@link #bias()}).
 */
public record QuantParam(double scale, int zeroPoint, int bits) {

    /** V4 (float32): scale = 255 / (max − min) of the fixed-up range, zp = round_half_away(−min · scale). */
    public static QuantParam v4(ValueRange measured) {
        ValueRange r = measured.fixupV4();
        float scale = 255f / (r.max() - r.min());
        int zp = (int) Rounding.halfAway(-r.min() * scale);
        return new QuantParam(scale, zp, 8);
    }

    /** V3 (double, no fix-up): scale = (2^bits − 1)/(max − min), bias = round_even(min · scale), zp = −bias. */
    public static QuantParam v3(ValueRange r, int bits) {
        double scale = ((1 << bits) - 1) / ((double) r.max() - (double) r.min());
        long bias = Rounding.halfEven((double) r.min() * scale);
        return new QuantParam(scale, (int) -bias, bits);
    }

    public static QuantParam of(ValueRange r, QuantRules rules) {
        return rules == QuantRules.V4 ? v4(r) : v3(r, 8);
    }

    public int bias() {
        return -zeroPoint;
    }

    public int maxQ() {
        return (1 << bits) - 1;
    }

    public int quantize(double x, QuantRules rules) {
        long q = rules == QuantRules.V4 ? Rounding.halfAway((float) ((float) x * (float) scale + zeroPoint))
                : Rounding.halfEven(x * scale + zeroPoint);
        return (int) Math.max(0, Math.min(maxQ(), q));
    }

    public double dequantize(int q) {
        return (q - zeroPoint) / scale;
    }
}
