package k210studio.kpu.chip;

/**
 * BN + activation of the usual RC5 tables (a constant 0 segment below one rising segment whose y_mul
 * is a power of two, e.g. rc5's ReLU/ReLU6 tables with y_mul 1024, shift 20) as one exact closed form per
 * output channel, evaluated in double arithmetic with no segment choice:
 *
 * <p>in the rising segment r (y_mul = 2^e, shift sh &gt; e, start xs, bias b) the RC5 rounding of
 * t = (bn − xs)·2^e ≥ 0 is floor((t + 2^(sh−1)) / 2^sh), and bn = floor(a·norm_mul / 2^bs) + norm_add,
 * so (nested floors of divisions by powers of two compose)
 *
 * <pre>  out = clamp(floor(Q / 2^S), 0, 255),  Q = a·norm_mul + (norm_add − xs + 2^(k−1))·2^bs + b·2^S,
 *  k = sh − e,  S = bs + k.</pre>
 *
 * Below the rising segment the table gives 0 (bias 0 there), and so does the form when b = 0: it is
 * monotone in bn and already ≤ 0 at bn = xs − 1. A channel whose reachable segments
 * ({@link KpuBnActivation#segLo}..{@link KpuBnActivation#segHi}) are a single constant segment uses Q = bias,
 * S = 0. floor(Q / 2^S) is then computed as the round-to-nearest-even of z = (2Q − 2^S + 1) / 2^(S+1),
 * which lies strictly within ½ of it (the numerator is odd for S ≥ 1), with
 * z = (acc + x-term)·{@link #mul} + {@link #add} in one fused multiply-add. Every value involved is
 * an integer (times a power of two) below 2^53 for every input 0..255 — checked per channel from the
 * accumulator bounds of {@link KpuBnActivation} — so the double arithmetic is exact and the bytes equal
 * the table's. Channels outside these conditions (BETA4 rules, 16-bit weights, other tables) report
 * {@link #has} false and use the general path.
 */
final class KpuClosedFormActivation {
    /** Per output channel: z = (acc + x-term)·mul + add (NaN when the channel has no closed form). */
    final double[] mul;
    final double[] add;
    /** True when every output channel has the closed form. */
    final boolean all;

    /** Bound on the integers the form handles exactly (with margin below 2^53). */
    private static final double LIMIT = 0x1p50;

    /**
     * The closed forms of a layer's channels, arrays padded with zeros to {@code padTo} channels (the
     * vector kernel reads whole blocks of channels).
     */
    KpuClosedFormActivation(KpuBnActivation p, boolean eightBit, int oc, int padTo) {
        int len = Math.max(oc, padTo);
        mul = new double[len];
        add = new double[len];
        boolean every = true;
        for (int o = 0; o < oc; o++) {
            if (!eightBit || p.beta4 || !p.ascending || !derive(p, o)) {
                mul[o] = Double.NaN;
                add[o] = Double.NaN;
                every = false;
            }
        }
        all = every;
    }

    /** True when channel o has the closed form. */
    boolean has(int o) {
        return !Double.isNaN(mul[o]);
    }

    /** The output byte (0..255) of channel o for accumulator acc and x-term xt (acc + xt = a − constant_o). */
    int apply(int o, int acc, double xt) {
        long k = (long) Math.rint(Math.fma(acc + xt, mul[o], add[o]));
        return (int) Math.max(0, Math.min(255, k));
    }

    /**
     * The x-term arg_x·Σx >> shr_x exactly as a double: floor(Σx·arg_x / 2^s) = round-to-nearest-even of
     * Σx·{@code xMul} + {@code xAdd} (same argument as for the output), computed by {@link #xMul}/{@link #xAdd}.
     */
    static double xMul(int argX, int shrX) {
        return Math.scalb((double) argX, -shrX);
    }

    /** See {@link #xMul}: −½ + 2^−(s+1), or 0 when s = 0. */
    static double xAdd(int shrX) {
        return shrX == 0 ? 0.0 : Math.scalb(1.0 - Math.scalb(1.0, shrX), -(shrX + 1));
    }

    private boolean derive(KpuBnActivation p, int o) {
        int lo = p.segLo[o];
        int r = p.segHi[o];
        long mu;
        int s;
        long e;
        if (p.yMul[r] == 0) {
            if (lo != r) {
                return false;
            }
            mu = 0;
            s = 0;
            e = p.bias[r];
        } else {
            long m = p.yMul[r];
            int sh = p.shift[r];
            int ex = Long.numberOfTrailingZeros(m);
            if (m <= 0 || Long.bitCount(m) != 1 || sh < ex + 1 || sh > 40) {
                return false;
            }
            if (lo != r && !(r == lo + 1 && p.yMul[lo] == 0 && p.bias[lo] == 0 && p.bias[r] == 0)) {
                return false;
            }
            int bs = p.bnShift[o];
            int k = sh - ex;
            s = bs + k;
            long d = p.bnAdd[o] - p.xStart[r] + (1L << (k - 1));
            if (s > 48 || Math.abs((double) d) * Math.scalb(1.0, bs) + Math.scalb((double) p.bias[r], s) > LIMIT) {
                return false;
            }
            mu = p.bnMul[o];
            e = (d << bs) + (p.bias[r] << s);
        }
        long cst = p.constant[o];
        double aLo = p.aMin[o];
        double aHi = p.aMax[o];
        // Q over the reachable a, the FMA's product term and the constant's numerator: all below 2^50
        double q = Math.max(Math.abs(aLo * mu + e), Math.abs(aHi * mu + e));
        double prod = Math.max(Math.abs((aLo - cst) * mu), Math.abs((aHi - cst) * mu));
        double num = 2 * Math.abs((double) cst * mu) + 2 * Math.abs((double) e) + Math.scalb(1.0, s) + 1;
        if (q > LIMIT || prod > LIMIT || num > LIMIT) {
            return false;
        }
        long n = 2 * cst * mu + 2 * e - (1L << s) + 1; // s = 0: z = Q exactly
        mul[o] = Math.scalb((double) mu, -s);
        add[o] = Math.scalb((double) n, -(s + 1));
        return true;
    }
}
