package k210studio.kpu.chip;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stage 3 of the vector kernel: offsets, batch norm and activation of a run of accumulators of one
 * output channel, in 64-bit lanes on {@code jdk.incubator.vector}, with no per-element branch. Uses the
 * per-layer analysis of {@link KpuBnActivation} (the segments each channel can reach) and gives the
 * same bytes as its scalar code for every input:
 *
 * <ul>
 * <li>a = acc (+ acc_hi·2^8) + (arg_x·Σx >> shr_x) + constant_o; bn = (a·norm_mul >> norm_shift) + norm_add
 * (wrapping 64-bit like the scalar code);</li>
 * <li>segment: the highest reachable segment whose start bn passes (BETA4 {@code >}, RC5 {@code ≥}),
 * chosen by blending the segment parameters under compare masks — the scan order of the hardware
 * (highest matching index) whatever the order of the starts;</li>
 * <li>rounding shift in the rule set's branch-free form, bias, clamp to 0..255.</li>
 * </ul>
 * Lanes are positions of one channel; elements that do not fill a vector go through the scalar code.
 * Channels with the closed form of {@link KpuClosedFormActivation} take {@link #rowClosed} /
 * {@link #tileClosed} instead: one fused multiply-add in double lanes, a rounding by adding 1.5·2^52 and
 * an integer clamp (no 64-bit multiplies, no segment blend).
 */
final class KpuVectorBnActivation {
    /**
     * One species per element type in the whole kernel (mixing two int species in a JVM defeats C2's
     * vector intrinsics in JDK 17): preferred longs, the GEMM's preferred ints (one int vector widens to
     * two long vectors), 64-bit bytes.
     */
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = KpuVectorGemm.IS;
    /** Results go straight to bytes when a long vector has 8 lanes (AVX-512): one 64-bit store. */
    private static final int BYTES_PER_STORE = 8;
    private static final VectorSpecies<Byte> BS = ByteVector.SPECIES_64;

    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** 1.5·2^52: adding it rounds a double below 2^51 in magnitude to an integer, held in the low bits. */
    private static final double MAGIC = 0x1.8p52;
    private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);

    private final KpuBnActivation p;
    /** Per segment: all ones when its shift is 0 (RC5: the value passes unrounded). */
    private final long[] zeroShift = new long[KpuActivationTable.SEGMENTS];
    /** The closed forms (null when a double vector does not have 8 lanes: no one-store byte results). */
    private final KpuClosedFormActivation closed;

    /**
     * The stage for a layer analysed by p; {@code padTo}: channel count the closed-form parameter
     * arrays are padded to (whole channel blocks of the GEMM).
     */
    KpuVectorBnActivation(KpuBnActivation p, KpuPreparedWeights prep, int padTo) {
        this.p = p;
        this.closed = DS.length() == BYTES_PER_STORE ? prep.closedForm(p, padTo) : null;
        for (int s = 0; s < KpuActivationTable.SEGMENTS; s++) {
            zeroShift[s] = p.shift[s] == 0 ? -1L : 0L;
        }
    }

    /** xt[x0 + j] = arg_x·sx[s0 + j] >> shr_x for j < count (the x-term of a grid position, shared by all channels). */
    void xTerms(int[] sx, int s0, long[] xt, int x0, int count) {
        final long argX = p.argX;
        final int shrX = p.shrX;
        final int il = IS.length();
        final int wide = count - count % il;
        for (int j = 0; j < wide; j += il) {
            IntVector xi = IntVector.fromArray(IS, sx, s0 + j);
            ((LongVector) xi.convertShape(VectorOperators.I2L, LS, 0)).mul(argX).lanewise(VectorOperators.ASHR, shrX)
                    .intoArray(xt, x0 + j);
            ((LongVector) xi.convertShape(VectorOperators.I2L, LS, 1)).mul(argX).lanewise(VectorOperators.ASHR, shrX)
                    .intoArray(xt, x0 + j + LS.length());
        }
        for (int j = wide; j < count; j++) {
            xt[x0 + j] = (argX * sx[s0 + j]) >> shrX;
        }
    }

    /**
     * Channel o, elements j < count: accumulators {@code acc[a0 + j]} (and {@code accHi[a0 + j]} for
     * 16-bit weights, else null), x-terms {@code xt[x0 + j]} ({@link #xTerms}) → {@code out[d0 + j]}.
     * {@code av} and {@code yv} are scratch of at least {@code count} longs.
     */
    void row(int o, int[] acc, int[] accHi, int a0, long[] xt, int x0, int count, byte[] out, int d0, long[] av,
            long[] yv) {
        row(o, p.segLo[o], p.segHi[o], acc, accHi, a0, xt, x0, count, out, d0, av, yv);
    }

    /** As {@link #row(int, int[], int[], int, long[], int, int, byte[], int, long[], long[])} over segments lo..hi. */
    void row(int o, int lo, int hi, int[] acc, int[] accHi, int a0, long[] xt, int x0, int count, byte[] out, int d0,
            long[] av, long[] yv) {
        final long cst = p.constant[o];
        // a = acc + x-term + constant in 64 bits, two long vectors per int vector
        final int il = IS.length();
        final int ll = LS.length();
        final int wide = count - count % il;
        for (int j = 0; j < wide; j += il) {
            IntVector ai = IntVector.fromArray(IS, acc, a0 + j);
            LongVector l0 = (LongVector) ai.convertShape(VectorOperators.I2L, LS, 0);
            LongVector l1 = (LongVector) ai.convertShape(VectorOperators.I2L, LS, 1);
            if (accHi != null) {
                IntVector ah = IntVector.fromArray(IS, accHi, a0 + j);
                l0 = l0.add(((LongVector) ah.convertShape(VectorOperators.I2L, LS, 0)).lanewise(VectorOperators.LSHL, 8));
                l1 = l1.add(((LongVector) ah.convertShape(VectorOperators.I2L, LS, 1)).lanewise(VectorOperators.LSHL, 8));
            }
            l0.add(LongVector.fromArray(LS, xt, x0 + j)).add(cst).intoArray(av, j);
            l1.add(LongVector.fromArray(LS, xt, x0 + j + ll)).add(cst).intoArray(av, j + ll);
        }
        for (int j = wide; j < count; j++) {
            long a = acc[a0 + j];
            if (accHi != null) {
                a += (long) accHi[a0 + j] << 8;
            }
            av[j] = a + xt[x0 + j] + cst;
        }
        final int bound = count - count % LS.length();
        if (LS.length() == BYTES_PER_STORE) {
            yv = null; // results go straight to bytes
        }
        if (hi == lo + 1 && p.yMul[lo] == 0 && p.yMul[hi] > 0) {
            constantBelowLinear(o, lo, hi, av, yv, out, d0, bound);
        } else if (p.beta4) {
            beta4(o, lo, hi, av, yv, out, d0, bound);
        } else {
            rc5(o, lo, hi, av, yv, out, d0, bound);
        }
        if (yv != null) {
            for (int j = 0; j < bound; j++) {
                out[d0 + j] = (byte) yv[j];
            }
        }
        final long mul = p.bnMul[o];
        final int bs = p.bnShift[o];
        final long add = p.bnAdd[o];
        for (int j = bound; j < count; j++) {
            out[d0 + j] = (byte) p.activate(((av[j] * mul) >> bs) + add);
        }
    }

    /** True when channel o has the closed form of {@link KpuClosedFormActivation} ({@link #rowClosed}). */
    boolean closed(int o) {
        return closed != null && closed.has(o);
    }

    /** True when every channel has the closed form ({@link #tileClosed}). */
    boolean allClosed() {
        return closed != null && closed.all;
    }

    /** xtd[x0 + j] = arg_x·sx[s0 + j] >> shr_x as doubles, exact ({@link KpuClosedFormActivation#xMul}). */
    void xTermsClosed(int[] sx, int s0, double[] xtd, int x0, int count) {
        final double xm = KpuClosedFormActivation.xMul(p.argX, p.shrX);
        final double xa = KpuClosedFormActivation.xAdd(p.shrX);
        final DoubleVector vm = DoubleVector.broadcast(DS, xm);
        final DoubleVector va = DoubleVector.broadcast(DS, xa);
        final int il = IS.length();
        final int dl = DS.length();
        final int wide = count - count % il;
        for (int j = 0; j < wide; j += il) {
            IntVector xi = IntVector.fromArray(IS, sx, s0 + j);
            ((DoubleVector) xi.convertShape(VectorOperators.I2D, DS, 0)).fma(vm, va).add(MAGIC).sub(MAGIC)
                    .intoArray(xtd, x0 + j);
            ((DoubleVector) xi.convertShape(VectorOperators.I2D, DS, 1)).fma(vm, va).add(MAGIC).sub(MAGIC)
                    .intoArray(xtd, x0 + j + dl);
        }
        for (int j = wide; j < count; j++) {
            xtd[x0 + j] = Math.rint(Math.fma((double) sx[s0 + j], xm, xa));
        }
    }

    /**
     * Channel o (with {@link #closed}), elements j &lt; count: accumulators {@code acc[a0 + j]} and
     * x-terms {@code xtd[x0 + j]} ({@link #xTermsClosed}; null when the accumulators include them) →
     * {@code out[d0 + j]}.
     */
    void rowClosed(int o, int[] acc, int a0, double[] xtd, int x0, int count, byte[] out, int d0) {
        final DoubleVector m = DoubleVector.broadcast(DS, closed.mul[o]);
        final DoubleVector a = DoubleVector.broadcast(DS, closed.add[o]);
        final int il = IS.length();
        final int dl = DS.length();
        final int wide = count - count % il;
        for (int j = 0; j < wide; j += il) {
            IntVector ai = IntVector.fromArray(IS, acc, a0 + j);
            DoubleVector z0 = (DoubleVector) ai.convertShape(VectorOperators.I2D, DS, 0);
            DoubleVector z1 = (DoubleVector) ai.convertShape(VectorOperators.I2D, DS, 1);
            if (xtd != null) {
                z0 = z0.add(DoubleVector.fromArray(DS, xtd, x0 + j));
                z1 = z1.add(DoubleVector.fromArray(DS, xtd, x0 + j + dl));
            }
            z0 = z0.fma(m, a);
            z1 = z1.fma(m, a);
            storeRounded(z0, out, d0 + j);
            storeRounded(z1, out, d0 + j + dl);
        }
        for (int j = wide; j < count; j++) {
            out[d0 + j] = (byte) closed.apply(o, acc[a0 + j], xtd == null ? 0 : xtd[x0 + j]);
        }
    }

    /**
     * A GEMM tile with channels on the lanes (every channel {@link #closed}): {@code c[r·nb + j]} is
     * position i0 + r of channel o0 + j, for r &lt; rows and j &lt; nb; the bytes go to
     * {@code tile[r·nb + j]} (channels past the layer's get junk).
     */
    void tileClosed(int o0, int[] c, int rows, int nb, double[] xtd, int i0, byte[] tile) {
        final int il = IS.length();
        final int dl = DS.length();
        for (int r = 0; r < rows; r++) {
            final DoubleVector x = DoubleVector.broadcast(DS, xtd[i0 + r]);
            for (int j = 0; j < nb; j += il) {
                IntVector ai = IntVector.fromArray(IS, c, r * nb + j);
                DoubleVector z0 = ((DoubleVector) ai.convertShape(VectorOperators.I2D, DS, 0)).add(x)
                        .fma(DoubleVector.fromArray(DS, closed.mul, o0 + j), DoubleVector.fromArray(DS, closed.add, o0 + j));
                DoubleVector z1 = ((DoubleVector) ai.convertShape(VectorOperators.I2D, DS, 1)).add(x)
                        .fma(DoubleVector.fromArray(DS, closed.mul, o0 + j + dl),
                                DoubleVector.fromArray(DS, closed.add, o0 + j + dl));
                storeRounded(z0, tile, r * nb + j);
                storeRounded(z1, tile, r * nb + j + dl);
            }
        }
    }

    /** round(z) clamped to 0..255 into out[d..d + 8) (|z| &lt; 2^51: the integer sits in the low bits after adding 1.5·2^52). */
    private static void storeRounded(DoubleVector z, byte[] out, int d) {
        ((ByteVector) ((LongVector) z.add(MAGIC).reinterpretAsLongs()).sub(MAGIC_BITS).max(0L).min(255L)
                .convertShape(VectorOperators.L2B, BS, 0)).intoArray(out, d);
    }

    /** The 0..255 results y of lanes j.. into out[d0 + j..] (8 lanes: one 8-byte store) or yv[j..]. */
    private static void store(LongVector y, long[] yv, byte[] out, int d0, int j) {
        if (yv == null) {
            ((ByteVector) y.convertShape(VectorOperators.L2B, BS, 0)).intoArray(out, d0 + j);
        } else {
            y.intoArray(yv, j);
        }
    }

    /**
     * The usual ReLU-style pair (rc5's ReLU/ReLU6 tables, V4 fits): a constant segment lo (y_mul 0:
     * output its bias) below a rising segment hi. Where hi is selected t = (bn − x_start)·y_mul ≥ 0, and
     * below 2^61 (the pair is only reached through the bounds analysis of {@link KpuBnActivation}, which
     * keeps |bn| ≤ 2^45), so both rounding rules take their form for t ≥ 0: RC5 ((t >> (s−1)) + 1) >> 1,
     * BETA4 ties to even; the other lanes get bias_lo.
     */
    private void constantBelowLinear(int o, int lo, int hi, long[] av, long[] yv, byte[] out, int d0, int bound) {
        final long mul = p.bnMul[o];
        final int bs = p.bnShift[o];
        final long add = p.bnAdd[o];
        final long xs = p.xStart[hi];
        final long m = p.yMul[hi];
        final long bias = p.bias[hi];
        final long below = p.bias[lo];
        final int sh = Math.min(63, p.shift[hi]);
        final boolean beta4 = p.beta4;
        final long mask = p.mask[hi];
        final long half = p.half[hi];
        for (int j = 0; j < bound; j += LS.length()) {
            LongVector bn = LongVector.fromArray(LS, av, j).mul(mul).lanewise(VectorOperators.ASHR, bs).add(add);
            VectorMask<Long> sel = beta4 ? bn.compare(VectorOperators.GT, xs) : bn.compare(VectorOperators.GE, xs);
            LongVector t = bn.sub(xs).mul(m);
            LongVector y;
            if (sh == 0) {
                y = t;
            } else if (beta4) {
                LongVector q = t.lanewise(VectorOperators.ASHR, sh);
                LongVector f = t.and(mask);
                LongVector gt = f.neg().add(half).lanewise(VectorOperators.LSHR, 63);
                LongVector eq = f.lanewise(VectorOperators.XOR, half).sub(1L).lanewise(VectorOperators.LSHR, 63);
                y = q.add(gt.or(eq.and(q)).and(1L));
            } else {
                y = t.lanewise(VectorOperators.ASHR, sh - 1).add(1L).lanewise(VectorOperators.ASHR, 1);
            }
            y = y.add(bias).max(0L).min(255L);
            store(LongVector.broadcast(LS, below).blend(y, sel), yv, out, d0, j);
        }
    }

    /** BETA4: segment with bn > x_start; carry_shift rounding (ties to even, sign quirk for t < 0). */
    private void beta4(int o, int lo, int hi, long[] av, long[] yv, byte[] out, int d0, int bound) {
        final long mul = p.bnMul[o];
        final int bs = p.bnShift[o];
        final long add = p.bnAdd[o];
        final long[] xs = p.xStart;
        final LongVector xs0 = LongVector.broadcast(LS, xs[lo]);
        final LongVector m0 = LongVector.broadcast(LS, p.yMul[lo]);
        final LongVector bi0 = LongVector.broadcast(LS, p.bias[lo]);
        final LongVector r0 = LongVector.broadcast(LS, p.rShift[lo]);
        final LongVector k0 = LongVector.broadcast(LS, p.mask[lo]);
        final LongVector h0 = LongVector.broadcast(LS, p.half[lo]);
        for (int j = 0; j < bound; j += LS.length()) {
            LongVector bn = LongVector.fromArray(LS, av, j).mul(mul).lanewise(VectorOperators.ASHR, bs).add(add);
            LongVector sxs = xs0;
            LongVector sm = m0;
            LongVector sbi = bi0;
            LongVector sr = r0;
            LongVector sk = k0;
            LongVector sh = h0;
            for (int s = lo + 1; s <= hi; s++) {
                VectorMask<Long> sel = bn.compare(VectorOperators.GT, xs[s]);
                sxs = sxs.blend(xs[s], sel);
                sm = sm.blend(p.yMul[s], sel);
                sbi = sbi.blend(p.bias[s], sel);
                sr = sr.blend(p.rShift[s], sel);
                sk = sk.blend(p.mask[s], sel);
                sh = sh.blend(p.half[s], sel);
            }
            LongVector t = bn.sub(sxs).mul(sm);
            LongVector sign = t.lanewise(VectorOperators.ASHR, 63).or(1L);
            // q = t >> s; towards sgn t when f > h, or f = h and q is odd
            LongVector q = t.lanewise(VectorOperators.ASHR, sr);
            LongVector f = t.and(sk);
            LongVector gt = sh.sub(f).lanewise(VectorOperators.LSHR, 63);
            LongVector eq = f.lanewise(VectorOperators.XOR, sh).sub(1L).lanewise(VectorOperators.LSHR, 63);
            LongVector up = gt.or(eq.and(q)).and(1L).neg().and(sign);
            store(q.add(up).add(sbi).max(0L).min(255L), yv, out, d0, j);
        }
    }

    /** RC5: segment with bn ≥ x_start; v = t >> (s − 1), odd v → (v >> 1) ± 1; shift 0 → t. */
    private void rc5(int o, int lo, int hi, long[] av, long[] yv, byte[] out, int d0, int bound) {
        final long mul = p.bnMul[o];
        final int bs = p.bnShift[o];
        final long add = p.bnAdd[o];
        final long[] xs = p.xStart;
        final LongVector xs0 = LongVector.broadcast(LS, xs[lo]);
        final LongVector m0 = LongVector.broadcast(LS, p.yMul[lo]);
        final LongVector bi0 = LongVector.broadcast(LS, p.bias[lo]);
        final LongVector r0 = LongVector.broadcast(LS, p.rShift[lo]);
        final LongVector z0 = LongVector.broadcast(LS, zeroShift[lo]);
        for (int j = 0; j < bound; j += LS.length()) {
            LongVector bn = LongVector.fromArray(LS, av, j).mul(mul).lanewise(VectorOperators.ASHR, bs).add(add);
            LongVector sxs = xs0;
            LongVector sm = m0;
            LongVector sbi = bi0;
            LongVector sr = r0;
            LongVector sz = z0;
            for (int s = lo + 1; s <= hi; s++) {
                VectorMask<Long> sel = bn.compare(VectorOperators.GE, xs[s]);
                sxs = sxs.blend(xs[s], sel);
                sm = sm.blend(p.yMul[s], sel);
                sbi = sbi.blend(p.bias[s], sel);
                sr = sr.blend(p.rShift[s], sel);
                sz = sz.blend(zeroShift[s], sel);
            }
            LongVector t = bn.sub(sxs).mul(sm);
            LongVector v = t.lanewise(VectorOperators.ASHR, sr);
            LongVector vs = v.lanewise(VectorOperators.ASHR, 63).or(1L);
            LongVector rounded = v.lanewise(VectorOperators.ASHR, 1).add(v.and(1L).neg().and(vs));
            store(t.and(sz).or(rounded.and(sz.not())).add(sbi).max(0L).min(255L), yv, out, d0, j);
        }
    }
}
