package k210studio.kpu.chip;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stage 2 of the vector kernel: the conv's exact integer dot products as an int8 GEMM on
 * {@code jdk.incubator.vector}, computed with float fused multiply-adds. Both operands are packed into
 * float panels ("im2row tiles"): a panel of width b holds rows m (output channels or grid positions)
 * in blocks of b, element (m, k) at {@code ((m / b)·K + k)·b + m % b}, zero-padded to a whole block.
 * The micro-kernel {@link #tile} keeps an {@link #MR}×{@link #nb()} block of float accumulators in
 * registers: per k it loads two vectors of the "vector" panel, broadcasts {@link #MR} values of the
 * "broadcast" panel and does 2·MR FMAs (one instruction each, where an int multiply-add takes three
 * micro-ops: about three times the int8 MAC rate of int lanes).
 *
 * <p>Exact: inputs are 0..255 and weight bytes 0..255 (16-bit weights are two GEMMs, low and high
 * byte), so a product is an integer below 2^16 and a sum of {@link #CHUNK} products stays below
 * 2^24: every float sum of a chunk is exact, in any order. Chunk sums are converted to int and added
 * (a sum over K ≤ 9216 taps stays below 2^31); the result is the same integer as the scalar kernel's.
 */
final class KpuVectorGemm {
    /** Int lanes of the preferred vector shape (16 with AVX-512, 8 with AVX2). */
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    /** Float lanes, as many as {@link #IS} has int lanes. */
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    /** Rows of the broadcast panel per micro-kernel tile. */
    static final int MR = 8;
    /**
     * Taps per float chunk: 255·255·128 = 8 323 200 &lt; 2^23, so every partial sum of a chunk, offset
     * by {@link #MAGIC} = 2^23, is an integer in [2^23, 2^24) that float represents exactly, whatever
     * the order of the fused multiply-adds.
     */
    static final int CHUNK = 128;
    /** 2^23: a float in [2^23, 2^24) is 0x4B000000 plus its integer part in its bits. */
    private static final float MAGIC = 8388608f;
    private static final int MAGIC_BITS = 0x4B000000;

    private KpuVectorGemm() {
    }

    /** Bytes with as many lanes as {@link #IS}. */
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(IS.vectorBitSize() / 4));

    /**
     * Unsigned bytes to ints, {@code dst[d + x] = src[s + x] & 0xFF} for x < len (input stage rows);
     * in whole vectors, overwriting up to one vector past len, when both arrays have room
     * ({@link KpuInputStage.RowConverter}).
     */
    static void widenBytes(byte[] src, int s, int[] dst, int d, int len) {
        final int l = IS.length();
        final int whole = (len + l - 1) / l * l;
        final int wide = s + whole <= src.length && d + whole <= dst.length && l <= KpuInputStage.ROW_SLACK
                ? whole : len - len % l;
        int x = 0;
        for (; x < wide; x += l) {
            ((IntVector) ByteVector.fromArray(BS, src, s + x).convertShape(VectorOperators.B2I, IS, 0)).and(0xFF)
                    .intoArray(dst, d + x);
        }
        for (; x < len; x++) {
            dst[d + x] = src[s + x] & 0xFF;
        }
    }

    /** Width of the vector panel: two vectors of int lanes. */
    static int nb() {
        return 2 * IS.length();
    }

    /** Blocks of width b needed for m rows. */
    static int blocks(int m, int b) {
        return (m + b - 1) / b;
    }

    /**
     * Block pb of the panel of width b over the grid positions i of tap rows {@code tp[k][i]} (k <
     * kTotal, i < n) into {@code p} as floats (exact: 0..255), zero past n; also the tap sums
     * {@code sx[i] = Σ_k tp[k][i]} of the block's positions.
     */
    static void packBlock(int[][] tp, int kTotal, int n, int b, int pb, float[] p, int[] sx) {
        final int i0 = pb * b;
        final int len = Math.min(b, n - i0);
        final int base = pb * kTotal * b;
        final int l = IS.length();
        if (b == 2 * l && len == b) {
            // whole vectors: ints to floats by their bits (x | bits(2^23) is the float 2^23 + x)
            IntVector s0 = IntVector.zero(IS);
            IntVector s1 = s0;
            for (int k = 0; k < kTotal; k++) {
                int d = base + k * b;
                int[] row = tp[k];
                IntVector x0 = IntVector.fromArray(IS, row, i0);
                IntVector x1 = IntVector.fromArray(IS, row, i0 + l);
                s0 = s0.add(x0);
                s1 = s1.add(x1);
                ((FloatVector) x0.or(MAGIC_BITS).reinterpretAsFloats()).sub(MAGIC).intoArray(p, d);
                ((FloatVector) x1.or(MAGIC_BITS).reinterpretAsFloats()).sub(MAGIC).intoArray(p, d + l);
            }
            s0.intoArray(sx, i0);
            s1.intoArray(sx, i0 + l);
            return;
        }
        if (b == 8 && len == b) {
            // the broadcast panel of small grids: straight-line code that C2 packs into 8-lane vectors
            int t0 = 0;
            int t1 = 0;
            int t2 = 0;
            int t3 = 0;
            int t4 = 0;
            int t5 = 0;
            int t6 = 0;
            int t7 = 0;
            for (int k = 0; k < kTotal; k++) {
                int d = base + k * 8;
                int[] row = tp[k];
                int x0 = row[i0];
                int x1 = row[i0 + 1];
                int x2 = row[i0 + 2];
                int x3 = row[i0 + 3];
                int x4 = row[i0 + 4];
                int x5 = row[i0 + 5];
                int x6 = row[i0 + 6];
                int x7 = row[i0 + 7];
                p[d] = x0;
                p[d + 1] = x1;
                p[d + 2] = x2;
                p[d + 3] = x3;
                p[d + 4] = x4;
                p[d + 5] = x5;
                p[d + 6] = x6;
                p[d + 7] = x7;
                t0 += x0;
                t1 += x1;
                t2 += x2;
                t3 += x3;
                t4 += x4;
                t5 += x5;
                t6 += x6;
                t7 += x7;
            }
            sx[i0] = t0;
            sx[i0 + 1] = t1;
            sx[i0 + 2] = t2;
            sx[i0 + 3] = t3;
            sx[i0 + 4] = t4;
            sx[i0 + 5] = t5;
            sx[i0 + 6] = t6;
            sx[i0 + 7] = t7;
            return;
        }
        for (int j = 0; j < len; j++) {
            sx[i0 + j] = 0;
        }
        for (int k = 0; k < kTotal; k++) {
            int d = base + k * b;
            int[] row = tp[k];
            for (int j = 0; j < len; j++) {
                int x = row[i0 + j];
                p[d + j] = x;
                sx[i0 + j] += x;
            }
            for (int j = len; j < b; j++) {
                p[d + j] = 0;
            }
        }
    }

    /** Packs weights {@code w[o·kTotal + k]} (o < oc, 0..255) into a float panel of width b over the output channels. */
    static float[] packWeights(int[] w, int oc, int kTotal, int b) {
        float[] p = new float[blocks(oc, b) * kTotal * b];
        for (int o = 0; o < oc; o++) {
            int base = (o / b) * kTotal * b + o % b;
            for (int k = 0; k < kTotal; k++) {
                p[base + k * b] = w[o * kTotal + k];
            }
        }
        return p;
    }

    /**
     * The micro-kernel: {@code c[r·nb + j] = Σ_k a[ao + k·MR + r] · b[bo + k·nb + j]} for r < MR, j < nb,
     * i.e. one block of a width-MR panel times one block of a width-nb panel over kLen taps, in chunks of
     * at most {@link #CHUNK} taps whose float sums are exact integers.
     */
    static void tile(float[] a, int ao, float[] b, int bo, int kLen, int[] c) {
        final int nb = nb();
        for (int k0 = 0; k0 < kLen; k0 += CHUNK) {
            chunk(a, ao + k0 * MR, b, bo + k0 * nb, Math.min(CHUNK, kLen - k0), c, k0 > 0);
        }
    }

    /** One chunk of {@link #tile}: stores the sums into c, or adds them to c when {@code add}. */
    private static void chunk(float[] a, int ao, float[] b, int bo, int kLen, int[] c, boolean add) {
        final VectorSpecies<Float> s = FS;
        final int l = s.length();
        final int nb = 2 * l;
        final FloatVector z = FloatVector.broadcast(s, MAGIC);
        FloatVector c00 = z, c01 = z,
                c10 = z, c11 = z,
                c20 = z, c21 = z,
                c30 = z, c31 = z,
                c40 = z, c41 = z,
                c50 = z, c51 = z,
                c60 = z, c61 = z,
                c70 = z, c71 = z;
        for (int k = 0; k < kLen; k++) {
            int p = bo + k * nb;
            FloatVector b0 = FloatVector.fromArray(s, b, p);
            FloatVector b1 = FloatVector.fromArray(s, b, p + l);
            int q = ao + k * MR;
            FloatVector w;
            w = FloatVector.broadcast(s, a[q + 0]);
            c00 = w.fma(b0, c00);
            c01 = w.fma(b1, c01);
            w = FloatVector.broadcast(s, a[q + 1]);
            c10 = w.fma(b0, c10);
            c11 = w.fma(b1, c11);
            w = FloatVector.broadcast(s, a[q + 2]);
            c20 = w.fma(b0, c20);
            c21 = w.fma(b1, c21);
            w = FloatVector.broadcast(s, a[q + 3]);
            c30 = w.fma(b0, c30);
            c31 = w.fma(b1, c31);
            w = FloatVector.broadcast(s, a[q + 4]);
            c40 = w.fma(b0, c40);
            c41 = w.fma(b1, c41);
            w = FloatVector.broadcast(s, a[q + 5]);
            c50 = w.fma(b0, c50);
            c51 = w.fma(b1, c51);
            w = FloatVector.broadcast(s, a[q + 6]);
            c60 = w.fma(b0, c60);
            c61 = w.fma(b1, c61);
            w = FloatVector.broadcast(s, a[q + 7]);
            c70 = w.fma(b0, c70);
            c71 = w.fma(b1, c71);
        }
        put(c00, c, 0 * nb, add);
        put(c01, c, 0 * nb + l, add);
        put(c10, c, 1 * nb, add);
        put(c11, c, 1 * nb + l, add);
        put(c20, c, 2 * nb, add);
        put(c21, c, 2 * nb + l, add);
        put(c30, c, 3 * nb, add);
        put(c31, c, 3 * nb + l, add);
        put(c40, c, 4 * nb, add);
        put(c41, c, 4 * nb + l, add);
        put(c50, c, 5 * nb, add);
        put(c51, c, 5 * nb + l, add);
        put(c60, c, 6 * nb, add);
        put(c61, c, 6 * nb + l, add);
        put(c70, c, 7 * nb, add);
        put(c71, c, 7 * nb + l, add);
    }

    /**
     * c[off..] = v − 2^23 (or += v − 2^23), the exact integer sums of a chunk: for v in [2^23, 2^24) the
     * float's bits minus those of 2^23 (no float-to-int conversion, which JDK 17 does not compile to
     * one instruction).
     */
    private static void put(FloatVector v, int[] c, int off, boolean add) {
        IntVector i = ((IntVector) v.reinterpretAsInts()).sub(MAGIC_BITS);
        if (add) {
            i = i.add(IntVector.fromArray(IS, c, off));
        }
        i.intoArray(c, off);
    }
}
