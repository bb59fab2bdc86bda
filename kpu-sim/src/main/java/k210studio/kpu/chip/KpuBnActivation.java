package k210studio.kpu.chip;

import k210studio.kpu.kmodel.KpuRules;

/**
 * Stage 3 of the KPU pipeline: the offset terms, batch norm and 16-segment activation of the
 * accumulators into uint8 {@code out[o·n + i]} (kpu-arith.md §3.2–§3.4), in 64-bit arithmetic without
 * data-dependent branches: per output channel the segments any input 0..255 can reach are found from
 * bounds of the accumulator, so rc5-style ReLU tables reduce to one compare.
 */
final class KpuBnActivation {
    final int argX;
    final int shrX;
    final long[] constant;
    final int[] bnMul;
    final int[] bnShift;
    final long[] bnAdd;
    final long[] xStart;
    final long[] yMul;
    final int[] shift;
    final long[] bias;
    final boolean beta4;
    final boolean ascending;
    final int[] lShift = new int[KpuActivationTable.SEGMENTS];
    final int[] rShift = new int[KpuActivationTable.SEGMENTS];
    final long[] mask = new long[KpuActivationTable.SEGMENTS];
    final long[] half = new long[KpuActivationTable.SEGMENTS];
    /** Per output channel: the lowest and highest segment any input can reach (ascending tables). */
    final int[] segLo;
    final int[] segHi;
    /** Per output channel: bounds of a = Σxw + (arg_x·Σx >> shr_x) + constant over all inputs 0..255. */
    final long[] aMin;
    final long[] aMax;
    final byte[] out;
    final int n;

    KpuBnActivation(KpuLayerArgument layer, KpuConvData data, KpuPreparedWeights prep, KpuRules rules, byte[] out, int n) {
        this.argX = layer.argX();
        this.shrX = layer.shrX();
        this.constant = prep.constant;
        this.bnMul = data.bnMul;
        this.bnShift = data.bnShift;
        this.bnAdd = data.bnAdd;
        KpuActivationTable t = data.activation();
        this.xStart = t.xStart;
        this.yMul = t.yMul;
        this.shift = t.shift;
        this.bias = t.bias;
        this.beta4 = rules == KpuRules.BETA4;
        boolean asc = true;
        for (int i = 1; i < KpuActivationTable.SEGMENTS; i++) {
            asc &= xStart[i] >= xStart[i - 1];
        }
        this.ascending = asc;
        for (int i = 0; i < KpuActivationTable.SEGMENTS; i++) {
            int sh = Math.min(63, this.shift[i]);
            if (beta4) {
                // q = t >> sh, f = t & mask, h = half (sh = 0: f = 0 < h = 1, so q = t)
                rShift[i] = sh;
                mask[i] = sh == 0 ? 0 : (1L << sh) - 1;
                half[i] = sh == 0 ? 1 : 1L << (sh - 1);
            } else {
                // v = t >> (sh - 1), or t << 1 when sh = 0 (then v is even and v >> 1 = t)
                lShift[i] = sh == 0 ? 1 : 0;
                rShift[i] = sh == 0 ? 0 : sh - 1;
            }
        }
        this.out = out;
        this.n = n;
        int oc = layer.outputChannels();
        segLo = new int[oc];
        segHi = new int[oc];
        aMin = new long[oc];
        aMax = new long[oc];
        int k2 = layer.kernelSize() * layer.kernelSize();
        long taps = layer.depthwise() ? k2 : (long) k2 * layer.inputChannels();
        long f0 = 0;
        long f1 = ((long) argX * (255 * taps)) >> shrX;
        for (int o = 0; o < oc; o++) {
            segLo[o] = 0;
            segHi[o] = 15;
            // bounds of a = Σxw + (arg_x·Σx >> shr_x) + constant over all inputs 0..255
            long aLo = constant[o] + Math.min(f0, f1);
            long aHi = constant[o] + 255 * prep.sumW[o] + Math.max(f0, f1);
            aMin[o] = aLo;
            aMax[o] = aHi;
            if (!ascending) {
                continue;
            }
            long b1 = ((aLo * bnMul[o]) >> bnShift[o]) + bnAdd[o];
            long b2 = ((aHi * bnMul[o]) >> bnShift[o]) + bnAdd[o];
            long bMin = Math.min(b1, b2);
            long bMax = Math.max(b1, b2);
            if (Math.abs(aLo) > (1L << 40) || Math.abs(aHi) > (1L << 40) || Math.abs(bMin) > (1L << 45)
                    || Math.abs(bMax) > (1L << 45)) {
                // far outside nncase's ranges (bn fits 36 bits there): keep the general path, whose
                // intermediate values cannot overflow differently from the emulators' 64-bit ones
                continue;
            }
            int lo = search(bMin);
            int hi = search(bMax);
            // neighbouring constant segments (y_mul 0) with equal bias give the same output:
            // only the boundaries between different segments matter
            int boundaries = 0;
            int last = -1;
            for (int j = lo + 1; j <= hi; j++) {
                boolean same = yMul[j] == 0 && yMul[j - 1] == 0 && bias[j] == bias[j - 1];
                if (!same) {
                    boundaries++;
                    last = j;
                }
            }
            if (boundaries == 0) {
                segLo[o] = lo;
                segHi[o] = lo;
            } else if (boundaries == 1) {
                segLo[o] = last - 1;
                segHi[o] = last;
            } else {
                segLo[o] = lo;
                segHi[o] = hi;
            }
        }
    }

    /** Highest matching segment of an ascending table (segment 0 when none matches). */
    private int search(long bn) {
        int s = 15;
        while (s > 0 && (beta4 ? bn <= xStart[s] : bn < xStart[s])) {
            s--;
        }
        return s;
    }

    /** Channel o, grid positions i0..i1; xt[i] = arg_x·Σx >> shr_x of position i. */
    void channel(int o, int[] acc, int[] accHi, long[] xt, int i0, int i1) {
        final long cst = constant[o];
        final long mul = bnMul[o];
        final int bshift = bnShift[o];
        final long add = bnAdd[o];
        final int base = o * n;
        final byte[] dst = out;
        final int lo = segLo[o];
        final int hi = segHi[o];
        if (accHi == null && hi == lo && !beta4) {
            // one reachable segment (rc5 rounding): no selection at all
            final long xs0 = xStart[lo];
            final long m0 = yMul[lo];
            final long bi0 = bias[lo];
            final long l0 = lShift[lo];
            final long r0 = rShift[lo];
            for (int i = i0; i < i1; i++) {
                long a = acc[i] + xt[i] + cst;
                long bn = ((a * mul) >> bshift) + add;
                long v = ((bn - xs0) * m0 << l0) >> r0;
                long y = (v >> 1) + (-(v & 1) & ((v >> 63) | 1)) + bi0;
                y &= ~(y >> 63);
                long over = y - 255;
                dst[base + i] = (byte) (255 + (over & (over >> 63)));
            }
        } else if (accHi == null && hi == lo + 1 && !beta4 && yMul[lo] == 0 && shift[hi] > 0) {
            // rc5 ReLU-style pair: a constant segment (output = its bias) below a linear one
            final long x1 = xStart[hi] - 1;
            final long cLo = bias[lo];
            final long xs1 = xStart[hi];
            final long m1 = yMul[hi];
            final int r1 = rShift[hi];
            final long b1 = bias[hi];
            if (m1 > 0 && Long.bitCount(m1) == 1) {
                // rc5's linear tables multiply by 1024: a shift, one 64-bit multiply less per output
                final int l1 = Long.numberOfTrailingZeros(m1);
                for (int i = i0; i < i1; i++) {
                    long a = acc[i] + xt[i] + cst;
                    long bn = ((a * mul) >> bshift) + add;
                    long up = (x1 - bn) >> 63;
                    long v = ((bn - xs1) << l1) >> r1;
                    long y = (v >> 1) + (-(v & 1) & ((v >> 63) | 1)) + b1;
                    y &= ~(y >> 63);
                    long over = y - 255;
                    y = 255 + (over & (over >> 63));
                    dst[base + i] = (byte) ((y & up) | (cLo & ~up));
                }
                return;
            }
            for (int i = i0; i < i1; i++) {
                long a = acc[i] + xt[i] + cst;
                long bn = ((a * mul) >> bshift) + add;
                long up = (x1 - bn) >> 63; // all ones in the upper segment
                long v = ((bn - xs1) * m1) >> r1;
                long y = (v >> 1) + (-(v & 1) & ((v >> 63) | 1)) + b1;
                y &= ~(y >> 63);
                long over = y - 255;
                y = 255 + (over & (over >> 63));
                dst[base + i] = (byte) ((y & up) | (cLo & ~up));
            }
        } else if (accHi == null && hi - lo <= 1) {
            // at most two reachable segments (e.g. rc5's ReLU table: "below 0" and "linear"):
            // their parameters live in locals and the choice is arithmetic (no loads, no branches)
            final long x1 = hi == lo ? Long.MIN_VALUE / 4 : xStart[hi] - (beta4 ? 0 : 1);
            final long xs0 = xStart[lo];
            final long dxs = xStart[hi] - xs0;
            final long m0 = yMul[lo];
            final long dm = yMul[hi] - m0;
            final long bi0 = bias[lo];
            final long dbi = bias[hi] - bi0;
            final long r0 = rShift[lo];
            final long dr = rShift[hi] - r0;
            if (beta4) {
                final long k0 = mask[lo];
                final long dk = mask[hi] - k0;
                final long h0 = half[lo];
                final long dh = half[hi] - h0;
                for (int i = i0; i < i1; i++) {
                    long a = acc[i] + xt[i] + cst;
                    long bn = ((a * mul) >> bshift) + add;
                    long sel = hi == lo ? 0 : (x1 - bn) >> 63;
                    long t = (bn - (xs0 + (sel & dxs))) * (m0 + (sel & dm));
                    long q = t >> (r0 + (sel & dr));
                    long f = t & (k0 + (sel & dk));
                    long h = h0 + (sel & dh);
                    long gt = (h - f) >>> 63;
                    long eq = ((f ^ h) - 1) >>> 63;
                    long y = q + (-((gt | (eq & q)) & 1) & ((t >> 63) | 1)) + bi0 + (sel & dbi);
                    y &= ~(y >> 63);
                    long over = y - 255;
                    dst[base + i] = (byte) (255 + (over & (over >> 63)));
                }
            } else {
                final long l0 = lShift[lo];
                final long dl = lShift[hi] - l0;
                for (int i = i0; i < i1; i++) {
                    long a = acc[i] + xt[i] + cst;
                    long bn = ((a * mul) >> bshift) + add;
                    long sel = hi == lo ? 0 : (x1 - bn) >> 63;
                    long t = (bn - (xs0 + (sel & dxs))) * (m0 + (sel & dm));
                    long v = (t << (l0 + (sel & dl))) >> (r0 + (sel & dr));
                    long y = (v >> 1) + (-(v & 1) & ((v >> 63) | 1)) + bi0 + (sel & dbi);
                    y &= ~(y >> 63);
                    long over = y - 255;
                    dst[base + i] = (byte) (255 + (over & (over >> 63)));
                }
            }
        } else if (accHi == null) {
            for (int i = i0; i < i1; i++) {
                long a = acc[i] + xt[i] + cst;
                dst[base + i] = (byte) activate(((a * mul) >> bshift) + add);
            }
        } else {
            for (int i = i0; i < i1; i++) {
                long a = acc[i] + ((long) accHi[i] << 8) + xt[i] + cst;
                dst[base + i] = (byte) activate(((a * mul) >> bshift) + add);
            }
        }
    }

    /** Grid position i, all output channels. */
    void pixel(int i, int[] acc, int[] accHi, long xterm, int oc) {
        for (int o = 0; o < oc; o++) {
            long a = acc[o];
            if (accHi != null) {
                a += (long) accHi[o] << 8;
            }
            a += xterm + constant[o];
            out[o * n + i] = (byte) activate(((a * bnMul[o]) >> bnShift[o]) + bnAdd[o]);
        }
    }

    /** Bounds far outside every 36-bit start: clamping bn to them never changes the segment. */
    private static final long SELECT_LIMIT = 1L << 60;

    /**
     * The activation of one BN value, without data-dependent branches for ascending tables (the
     * only kind nncase writes): a 4-step binary search by sign bits, then the rule set's rounding
     * shift in branch-free form (same results as {@link KpuActivationTable#roundBeta4} /
     * {@link KpuActivationTable#roundRc5}, checked by the differential tests).
     */
    int activate(long bn) {
        int s;
        if (ascending) {
            long b = bn > SELECT_LIMIT ? SELECT_LIMIT : bn < -SELECT_LIMIT ? -SELECT_LIMIT : bn;
            long[] xs = xStart;
            if (!beta4) {
                b += 1; // bn >= x  <=>  x - (bn + 1) < 0
            }
            s = (int) ((xs[8] - b) >>> 63) << 3;
            s += (int) ((xs[s + 4] - b) >>> 63) << 2;
            s += (int) ((xs[s + 2] - b) >>> 63) << 1;
            s += (int) ((xs[s + 1] - b) >>> 63);
        } else {
            s = 15;
            if (beta4) {
                while (s > 0 && bn <= xStart[s]) {
                    s--;
                }
            } else {
                while (s > 0 && bn < xStart[s]) {
                    s--;
                }
            }
        }
        return segment(bn, s);
    }

    /** Rounding shift, bias and clamp of a BN value in segment s. */
    int segment(long bn, int s) {
        long t = (bn - xStart[s]) * yMul[s];
        long y;
        if (beta4) {
            int sh = rShift[s];
            long q = t >> sh;
            long f = t & mask[s];
            long h = half[s];
            long sign = (t >> 63) | 1;
            long gt = (h - f) >>> 63;
            long eq = ((f ^ h) - 1) >>> 63;
            y = q + ((gt | (eq & q)) & 1) * sign;
        } else if (shift[s] == 0) {
            y = t;
        } else {
            long v = t >> rShift[s];
            y = (v >> 1) + (v & 1) * ((v >> 63) | 1);
        }
        y += bias[s];
        y &= ~(y >> 63);
        long over = y - 255;
        return (int) (255 + (over & (over >> 63)));
    }
}
