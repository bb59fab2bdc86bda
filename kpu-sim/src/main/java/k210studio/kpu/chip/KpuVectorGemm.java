package k210studio.kpu.chip;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stage 2 of the vector kernel: the conv's exact integer dot products as an int8 GEMM on
 * {@code jdk.incubator.vector}. Both operands are packed into panels ("im2row tiles"): a panel of
 * width b holds rows m (output channels or grid positions) in blocks of b, element (m, k) at
 * {@code ((m / b)·K + k)·b + m % b}, zero-padded to a whole block. The micro-kernel {@link #tile} keeps
 * an {@link #MR}×{@link #nb()} block of int accumulators in registers: per k it loads two vectors of the
 * "vector" panel, broadcasts {@link #MR} values of the "broadcast" panel and does 2·MR multiply-adds.
 *
 * <p>Exact: inputs are 0..255 and weight bytes 0..255 (16-bit weights are two GEMMs, low and high
 * byte), so a sum over K ≤ 9216 taps stays below 2^31 and int lanes never overflow; the result is the
 * same integer whatever the order of the additions.
 */
final class KpuVectorGemm {
    /** Int lanes of the preferred vector shape (16 with AVX-512, 8 with AVX2). */
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    /** Rows of the broadcast panel per micro-kernel tile. */
    static final int MR = 8;

    private KpuVectorGemm() {
    }

    /** Bytes with as many lanes as {@link #IS}. */
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(IS.vectorBitSize() / 4));

    /** Unsigned bytes to ints, {@code dst[d + x] = src[s + x] & 0xFF} for x < len (input stage rows). */
    static void widenBytes(byte[] src, int s, int[] dst, int d, int len) {
        final int l = IS.length();
        final int wide = len - len % l;
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
     * kTotal, i < n) into {@code p}, zero past n.
     */
    static void packBlock(int[][] tp, int kTotal, int n, int b, int pb, int[] p) {
        int i0 = pb * b;
        int len = Math.min(b, n - i0);
        int base = pb * kTotal * b;
        for (int k = 0; k < kTotal; k++) {
            int d = base + k * b;
            System.arraycopy(tp[k], i0, p, d, len);
            for (int j = len; j < b; j++) {
                p[d + j] = 0;
            }
        }
    }

    /** Packs weights {@code w[o·kTotal + k]} (o < oc) into a panel of width b over the output channels. */
    static int[] packWeights(int[] w, int oc, int kTotal, int b) {
        int[] p = new int[blocks(oc, b) * kTotal * b];
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
     * i.e. one block of a width-MR panel times one block of a width-nb panel over kLen taps.
     */
    static void tile(int[] a, int ao, int[] b, int bo, int kLen, int[] c) {
        final VectorSpecies<Integer> s = IS;
        final int l = s.length();
        final int nb = 2 * l;
        IntVector c00 = IntVector.zero(s);
        IntVector c01 = c00;
        IntVector c10 = c00;
        IntVector c11 = c00;
        IntVector c20 = c00;
        IntVector c21 = c00;
        IntVector c30 = c00;
        IntVector c31 = c00;
        IntVector c40 = c00;
        IntVector c41 = c00;
        IntVector c50 = c00;
        IntVector c51 = c00;
        IntVector c60 = c00;
        IntVector c61 = c00;
        IntVector c70 = c00;
        IntVector c71 = c00;
        for (int k = 0; k < kLen; k++) {
            int p = bo + k * nb;
            IntVector b0 = IntVector.fromArray(s, b, p);
            IntVector b1 = IntVector.fromArray(s, b, p + l);
            int q = ao + k * MR;
            IntVector w = IntVector.broadcast(s, a[q]);
            c00 = w.mul(b0).add(c00);
            c01 = w.mul(b1).add(c01);
            w = IntVector.broadcast(s, a[q + 1]);
            c10 = w.mul(b0).add(c10);
            c11 = w.mul(b1).add(c11);
            w = IntVector.broadcast(s, a[q + 2]);
            c20 = w.mul(b0).add(c20);
            c21 = w.mul(b1).add(c21);
            w = IntVector.broadcast(s, a[q + 3]);
            c30 = w.mul(b0).add(c30);
            c31 = w.mul(b1).add(c31);
            w = IntVector.broadcast(s, a[q + 4]);
            c40 = w.mul(b0).add(c40);
            c41 = w.mul(b1).add(c41);
            w = IntVector.broadcast(s, a[q + 5]);
            c50 = w.mul(b0).add(c50);
            c51 = w.mul(b1).add(c51);
            w = IntVector.broadcast(s, a[q + 6]);
            c60 = w.mul(b0).add(c60);
            c61 = w.mul(b1).add(c61);
            w = IntVector.broadcast(s, a[q + 7]);
            c70 = w.mul(b0).add(c70);
            c71 = w.mul(b1).add(c71);
        }
        c00.intoArray(c, 0);
        c01.intoArray(c, l);
        c10.intoArray(c, nb);
        c11.intoArray(c, nb + l);
        c20.intoArray(c, 2 * nb);
        c21.intoArray(c, 2 * nb + l);
        c30.intoArray(c, 3 * nb);
        c31.intoArray(c, 3 * nb + l);
        c40.intoArray(c, 4 * nb);
        c41.intoArray(c, 4 * nb + l);
        c50.intoArray(c, 5 * nb);
        c51.intoArray(c, 5 * nb + l);
        c60.intoArray(c, 6 * nb);
        c61.intoArray(c, 6 * nb + l);
        c70.intoArray(c, 7 * nb);
        c71.intoArray(c, 7 * nb + l);
    }
}
