package k210studio.kpu.kmodel.v4.runtime;

/**
 * The scalar arithmetic of the nncase v0.2.0-beta4 runtime (runtime_op_utility.h, kernel_utils.h,
 * C math), reproduced in Java: round-half-up fixed-point shifts on 64 bits, C {@code roundf},
 * {@code std::clamp} and the windowed output size.
 */
final class V4Arith {
    private V4Arith() {
    }

    /**
     * {@code carry_shift<int64_t,false>}: (v + 2^(s-1)) >> s with an arithmetic shift; the shift is
     * the low byte of the stored int32 (nncase passes it as uint8_t). s = 0 leaves v unchanged;
     * s >= 64 (undefined in C) gives the sign (0 or -1).
     */
    static long carryShift(long v, int shift) {
        int s = shift & 0xFF;
        if (s == 0) {
            return v;
        }
        if (s >= 64) {
            return v < 0 ? -1 : 0;
        }
        return (v + (1L << (s - 1))) >> s;
    }

    /** {@code mul_and_carry_shift}: carryShift((int64) value * mul, shift) cast to int32. */
    static int mulAndCarryShift(int value, int mul, int shift) {
        return (int) carryShift((long) value * mul, shift);
    }

    /** C {@code roundf}: halves away from zero. */
    static float roundf(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x)) {
            return x;
        }
        double d = x;
        return (float) (d >= 0 ? Math.floor(d + 0.5) : -Math.floor(-d + 0.5));
    }

    /** {@code std::clamp(v, lo, hi)} = v < lo ? lo : hi < v ? hi : v (NaN passes through). */
    static float clamp(float v, float lo, float hi) {
        return v < lo ? lo : (hi < v ? hi : v);
    }

    static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : (hi < v ? hi : v);
    }

    /** get_windowed_output_size in long arithmetic (no int overflow on corrupt fields). */
    static long windowedOutputSize(long size, long filter, long stride, long dilation, long before, long after) {
        long effective = (filter - 1) * dilation + 1;
        return (size + before + after - effective + stride) / stride;
    }

    /** C integer division (truncation toward zero), as used for the filter start/end bounds. */
    static long cdiv(long a, long b) {
        return a / b;
    }

    /** Product of non-negative factors, saturating at Long.MAX_VALUE (work estimates of corrupt bodies). */
    static long satMul(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f <= 0) {
                return 0;
            }
        }
        for (long f : factors) {
            if (p > Long.MAX_VALUE / f) {
                return Long.MAX_VALUE;
            }
            p *= f;
        }
        return p;
    }

    /** {@code std::min(a, b)} = (b < a) ? b : a (differs from Math.min for NaN and signed zeros). */
    static float min(float a, float b) {
        return b < a ? b : a;
    }

    /** {@code std::max(a, b)} = (a < b) ? b : a. */
    static float max(float a, float b) {
        return a < b ? b : a;
    }
}
