package k210studio.kpu.kmodel.v4.runtime;

import java.math.BigDecimal;

/**
 * The float functions nncase v0.2.0-beta4's kernels call ({@code expf}, {@code logf}, {@code sinf}, {@code cosf}), bit
 * for bit as glibc 2.27+ computes them on x86-64 (the host build of the runtime that {@code ncc infer} and the
 * conformance oracle run). These are not correctly rounded: {@code (float) Math.exp(x)} differs from {@code expf} on
 * about 1 float in 13,000 (by one ulp), {@code Math.log}/{@code sin}/{@code cos} on about 1 in 10,000, so a softmax
 * or a sigmoid computed with Java's functions is off by an ulp now and then. Each function evaluates glibc's
 * algorithm (the ARM optimized-routines design: table lookup plus a short polynomial in double) with its
 * coefficients; checked against glibc 2.36 on every one of the 2^32 float inputs (NaN payloads aside).
 *
 * <p>The functions follow glibc's FMA build (the one x86-64 CPUs with FMA and AVX2 select at run time, i.e. every
 * x86-64 CPU since 2013; the K210's RISC-V compiler contracts too): {@link #expf}'s reduction remainder, and
 * {@link #sinf}/{@link #cosf}'s reduction x − n·π/2 and every polynomial step, are fused multiply-adds. Without the
 * contractions sinf and cosf differ from glibc on some inputs in [8, 128); logf's unfused form already gives glibc's bits.
 */
final class LibmFloat {
    private LibmFloat() {
    }

    // ------------------------------------------------------------------ expf

    private static final int EXP_TABLE_BITS = 5;
    private static final int EXP_N = 1 << EXP_TABLE_BITS;
    /** 2^(i/32) as binary64 bits minus i << 47, so adding k << 47 to entry k % 32 gives 2^(k/32). */
    private static final long[] EXP2_TABLE = exp2Table();
    private static final double INV_LN2_N = 0x1.71547652b82fep+0 * EXP_N;
    private static final double ROUND_SHIFT = 0x1.8p+52;
    private static final double EXP_C0 = 0x1.c6af84b912394p-5 / EXP_N / EXP_N / EXP_N;
    private static final double EXP_C1 = 0x1.ebfce50fac4f3p-3 / EXP_N / EXP_N;
    private static final double EXP_C2 = 0x1.62e42ff0c52d6p-1 / EXP_N;

    /** glibc {@code expf}. */
    static float expf(float x) {
        int ix = Float.floatToRawIntBits(x);
        int abstop = (ix >>> 20) & 0x7ff;
        if (abstop >= 0x42b) { // |x| >= 88, or inf or NaN
            if (ix == 0xff800000) {
                return 0f;
            }
            if (abstop >= 0x7f8) {
                return x + x;
            }
            if (x > 0x1.62e42ep6f) {
                return Float.POSITIVE_INFINITY;
            }
            if (x < -0x1.9fe368p6f) {
                return 0f;
            }
        }
        double xd = x;
        double z = INV_LN2_N * xd;
        double kd = z + ROUND_SHIFT; // rounds z to an integer in the low bits
        long ki = Double.doubleToRawLongBits(kd);
        kd -= ROUND_SHIFT;
        double r = Math.fma(INV_LN2_N, xd, -kd); // z - kd, contracted as in glibc's FMA build
        long t = EXP2_TABLE[(int) (ki & (EXP_N - 1))] + (ki << (52 - EXP_TABLE_BITS));
        double s = Double.longBitsToDouble(t);
        double p = EXP_C0 * r + EXP_C1;
        double y = EXP_C2 * r + 1;
        y = p * (r * r) + y;
        return (float) (y * s);
    }

    /** The correctly rounded 2^(i/32) (checked exactly against the midpoints to its neighbours) minus i << 47. */
    private static long[] exp2Table() {
        long[] t = new long[EXP_N];
        for (int i = 0; i < EXP_N; i++) {
            BigDecimal target = BigDecimal.valueOf(2).pow(i);
            double d = Math.pow(2, i / (double) EXP_N);
            while (true) {
                BigDecimal here = new BigDecimal(d);
                BigDecimal below = here.add(new BigDecimal(Math.nextDown(d))).divide(BigDecimal.valueOf(2));
                BigDecimal above = here.add(new BigDecimal(Math.nextUp(d))).divide(BigDecimal.valueOf(2));
                if (above.pow(EXP_N).compareTo(target) <= 0) {
                    d = Math.nextUp(d);
                } else if (below.pow(EXP_N).compareTo(target) >= 0) {
                    d = Math.nextDown(d);
                } else {
                    break;
                }
            }
            t[i] = Double.doubleToRawLongBits(d) - ((long) i << (52 - EXP_TABLE_BITS));
        }
        return t;
    }

    // ------------------------------------------------------------------ logf

    /** 1/c and log(c) for the 16 subintervals of [0x3f330000, 2·0x3f330000) (c near each centre). */
    private static final double[] LOG_INVC = {0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0,
        0x1.3c995b0b80385p+0, 0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
        0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1, 0x1.b2036576afce6p-1,
        0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1};
    private static final double[] LOG_C = {-0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2,
        -0x1.b31d8a68224e9p-3, -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
        -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4, 0x1.526e57720db08p-3,
        0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2};
    private static final double LN2 = 0x1.62e42fefa39efp-1;
    private static final double LOG_A0 = -0x1.00ea348b88334p-2;
    private static final double LOG_A1 = 0x1.5575b0be00b6ap-2;
    private static final double LOG_A2 = -0x1.ffffef20a4123p-2;
    private static final int LOG_OFF = 0x3f330000;

    /** glibc {@code logf}. */
    static float logf(float x) {
        int ix = Float.floatToRawIntBits(x);
        if (ix == 0x3f800000) {
            return 0f;
        }
        if (Integer.compareUnsigned(ix - 0x00800000, 0x7f800000 - 0x00800000) >= 0) {
            // subnormal, zero, negative, inf or NaN
            if (ix << 1 == 0) {
                return Float.NEGATIVE_INFINITY;
            }
            if (ix == 0x7f800000) {
                return x;
            }
            if ((ix & 0x80000000) != 0 || Integer.compareUnsigned(ix << 1, 0xff000000) >= 0) {
                return invalid(x);
            }
            ix = Float.floatToRawIntBits(x * 0x1p23f) - (23 << 23); // normalise a subnormal
        }
        int tmp = ix - LOG_OFF;
        int i = (tmp >>> (23 - 4)) & 15;
        int k = tmp >> 23;
        int iz = ix - (tmp & (0x1ff << 23));
        double z = Float.intBitsToFloat(iz);
        double r = z * LOG_INVC[i] - 1;
        double y0 = LOG_C[i] + k * LN2;
        double r2 = r * r;
        double y = LOG_A1 * r + LOG_A2;
        y = LOG_A0 * r2 + y;
        y = y * r2 + (y0 + r);
        return (float) y;
    }

    // ------------------------------------------------------------------ sinf / cosf

    private static final double[] QUADRANT_SIGN = {1.0, -1.0, -1.0, 1.0};
    private static final double TWO_OVER_PI_2P24 = 0x1.45F306DC9C883p+23;
    private static final double HALF_PI = 0x1.921FB54442D18p0;
    private static final double PI_2P_62 = 0x1.921FB54442D18p-62;
    /** cos coefficients c0..c4, then sin coefficients s1..s3; the second set serves quadrants 2 and 3. */
    private static final double[][] SINCOS_POLY = {
        {0x1p0, -0x1.ffffffd0c621cp-2, 0x1.55553e1068f19p-5, -0x1.6c087e89a359dp-10, 0x1.99343027bf8c3p-16,
            -0x1.555545995a603p-3, 0x1.1107605230bc4p-7, -0x1.994eb3774cf24p-13},
        {-0x1p0, 0x1.ffffffd0c621cp-2, -0x1.55553e1068f19p-5, 0x1.6c087e89a359dp-10, -0x1.99343027bf8c3p-16,
            -0x1.555545995a603p-3, 0x1.1107605230bc4p-7, -0x1.994eb3774cf24p-13}};
    /** Hex digits of the fraction of 2/π, enough for the large-argument reduction. */
    private static final String TWO_OVER_PI_HEX = "a2f9836e4e441529fc2757d1f534ddc0db6295993c439041";
    /** 32-bit windows of 2/π·2^(8(j+1)): 0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e, 0xf9836e4e, ... (24 entries). */
    private static final long[] INV_PIO4 = invPio4();
    private static final int ABSTOP_PI_4 = abstop12(0x1.921FB6p-1f);
    private static final int ABSTOP_2P_12 = abstop12(0x1p-12f);
    private static final int ABSTOP_120 = abstop12(120f);
    private static final int ABSTOP_INF = abstop12(Float.POSITIVE_INFINITY);

    /** glibc {@code sinf}. */
    static float sinf(float y) {
        return sincos(y, false);
    }

    /** glibc {@code cosf}. */
    static float cosf(float y) {
        return sincos(y, true);
    }

    private static float sincos(float y, boolean cos) {
        double x = y;
        int top = abstop12(y);
        if (top < ABSTOP_PI_4) {
            if (top < ABSTOP_2P_12) {
                return cos ? 1f : y;
            }
            return (float) poly(x, x * x, SINCOS_POLY[0], cos ? 1 : 0);
        }
        int quadrant;
        int sign = 0;
        if (top < ABSTOP_120) {
            // reduce_fast: n = nearest multiple of pi/2 via a 2^24-scaled integer conversion
            double scaled = x * TWO_OVER_PI_2P24;
            quadrant = ((int) scaled + 0x800000) >> 24;
            x = Math.fma(-quadrant, HALF_PI, x); // x - n·π/2, contracted as in glibc's FMA build
        } else if (top < ABSTOP_INF) {
            int xi = Float.floatToRawIntBits(y);
            sign = xi >>> 31;
            long[] reduced = reduceLarge(xi);
            quadrant = (int) reduced[0];
            x = reduced[1] * PI_2P_62;
        } else {
            return invalid(y);
        }
        int q = quadrant + sign;
        double s = QUADRANT_SIGN[q & 3];
        double[] p = SINCOS_POLY[(q & 2) != 0 ? 1 : 0];
        return (float) poly(x * s, x * x, p, cos ? quadrant ^ 1 : quadrant);
    }

    /** sin(x) for even n, cos(x) for odd n, from the set's polynomials. */
    private static double poly(double x, double x2, double[] p, int n) {
        // every a·b + c below is one fused multiply-add in glibc's FMA build (GCC contracts them)
        if ((n & 1) == 0) {
            double x3 = x * x2;
            double s1 = Math.fma(x2, p[7], p[6]);
            double x7 = x3 * x2;
            double s = Math.fma(x3, p[5], x);
            return Math.fma(x7, s1, s);
        }
        double x4 = x2 * x2;
        double c2 = Math.fma(x2, p[4], p[3]);
        double c1 = Math.fma(x2, p[1], p[0]);
        double x6 = x4 * x2;
        double c = Math.fma(x4, p[2], c1);
        return Math.fma(x6, c2, c);
    }

    /**
     * reduce_large for |y| ≥ 120: the 62-bit fixed-point product of the mantissa with 4/π bits; returns
     * {quadrant, signed remainder in units of 2^-62·π/2... as glibc keeps it}.
     */
    private static long[] reduceLarge(int xi) {
        int at = (xi >>> 26) & 15;
        int shift = (xi >>> 23) & 7;
        long m = (((xi & 0xffffff) | 0x800000) & 0xffffffffL) << shift & 0xffffffffL;
        long res0 = (m * INV_PIO4[at]) & 0xffffffffL; // a 32-bit product: only its low word counts
        long res1 = m * INV_PIO4[at + 4];
        long res2 = m * INV_PIO4[at + 8];
        res0 = (res2 >>> 32) | (res0 << 32);
        res0 += res1;
        long n = (res0 + (1L << 61)) >>> 62;
        res0 -= n << 62;
        return new long[] {n, res0};
    }

    private static long[] invPio4() {
        long[] t = new long[24];
        for (int j = 0; j < t.length; j++) {
            int end = 2 * (j + 1); // hex digits up to bit 8(j+1)
            int start = Math.max(0, end - 8);
            t[j] = Long.parseLong(TWO_OVER_PI_HEX.substring(start, end), 16);
        }
        return t;
    }

    private static int abstop12(float f) {
        return (Float.floatToRawIntBits(f) >>> 20) & 0x7ff;
    }

    /** __math_invalidf: (x − x) / (x − x), the NaN the FPU makes (a NaN input's payload kept, quiet). */
    private static float invalid(float x) {
        float d = x - x;
        return d / d;
    }
}
