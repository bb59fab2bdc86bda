package k210studio.converter.quant;

/**
 * A calibrated [min, max] range of a tensor, with the two nncase generations' rules for measuring it
 * and (V4) fixing it up so that 0 is representable and the range is never degenerate (kpu-arith.md §4.1).
 */
public record ValueRange(float min, float max) {

    /** V4 {@code get_range}: skips non-finite values; max starts at FLT_MIN, min at FLT_MAX. */
    public static ValueRange measureV4(float[] data) {
        float min = Float.MAX_VALUE;
        float max = Float.MIN_NORMAL;
        for (float v : data) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return new ValueRange(min, max);
    }

    /** V3 {@code get_range}: ignores |v| > 100; nothing left → [−6, 6]; min = max → [min − 1, max + 1]. */
    public static ValueRange measureV3(float[] data) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : data) {
            if (Math.abs(v) <= 100) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            return new ValueRange(-6, 6);
        }
        if (min == max) {
            return new ValueRange(min - 1, max + 1);
        }
        return new ValueRange(min, max);
    }

    public static ValueRange measure(float[] data, QuantRules rules) {
        return rules == QuantRules.V4 ? measureV4(data) : measureV3(data);
    }

    /** Union of two ranges (how V4 merges the ranges of calibration images). */
    public ValueRange union(ValueRange o) {
        return new ValueRange(Math.min(min, o.min), Math.max(max, o.max));
    }

    /** Exponential moving average with α = 0.01 (how V3 merges the ranges of calibration images). */
    public ValueRange ema(ValueRange next) {
        return new ValueRange(0.01f * next.min + 0.99f * min, 0.01f * next.max + 0.99f * max);
    }

    /**
     * V4 {@code fixup_range}: clamp to [−1000, 1000]; a zero width becomes 0.1 and a width below 0.01 becomes 0.01
     * (stretching max); then max ≥ 0 and min ≤ 0.
     */
    public ValueRange fixupV4() {
        float lo = Math.max(min, -1000f);
        float hi = Math.min(max, 1000f);
        float r = hi - lo;
        if (r == 0) {
            r = 0.1f;
        } else if (r < 0.01f) {
            r = 0.01f;
        }
        hi = lo + r;
        if (hi < 0) {
            hi = 0;
        }
        if (lo > 0) {
            lo = 0;
        }
        return new ValueRange(lo, hi);
    }

    public float width() {
        return max - min;
    }

    @Override
    public String toString() {
        return "[" + min + ", " + max + "]";
    }
}
