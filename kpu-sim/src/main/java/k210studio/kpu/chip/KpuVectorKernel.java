package k210studio.kpu.chip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import k210studio.kpu.kmodel.KpuRules;

/**
 * The fast conv kernel on {@code jdk.incubator.vector} (JVM flag {@code --add-modules
 * jdk.incubator.vector}); same bytes as {@link KpuScalarKernel}, which it falls back to for depthwise
 * convs with a select pool (never written by nncase).
 *
 * <ul>
 * <li>Full convs: the tap rows of {@link KpuInputStage} packed into float panels ({@link KpuVectorGemm},
 * with the tap sums Σx in the same pass), then per tile an {@code MR}×{@code nb} block of exact integer
 * accumulators from the float-FMA micro-kernel, followed at once (while the tile is in L1) by
 * {@link KpuVectorBnActivation} on each of its channel rows. Large grids put output channels on the
 * broadcast side and pixels on the vector side; small grids (e.g. 7×7 or the 4×4 of a dense layer) the
 * other way round, whichever wastes fewer padded rows; there the closed-form activation runs on the
 * tile itself with channels on the lanes and its bytes are scattered to the channel rows.</li>
 * <li>Depthwise convs: {@link KpuVectorDepthwise} straight on the padded planes, then the same
 * BN/activation over the whole channel; with arg_x a multiple of 2^shr_x the x-term is folded into the
 * weights.</li>
 * </ul>
 * BN/activation takes the one-FMA closed form of {@link KpuClosedFormActivation} for the channels that
 * have it (rc5 ReLU-style tables, 8-bit weights) and the general segment code otherwise.
 * Work is split over tiles (or channels) by {@link KpuWork}.
 */
final class KpuVectorKernel implements KpuConvKernel {
    /** Broadcast-panel blocks per work item (pixel mode): 8 blocks of 8 output channels. */
    private static final int BLOCKS_PER_ITEM = 8;
    /** Vector-panel blocks per work item (pixel mode): BN/activation then runs on rows of 8·nb positions. */
    private static final int SUPER_BLOCK = 8;

    /** Little-endian long view of a byte array (8 output bytes in one store). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final KpuWork work;
    private final KpuInputStage input;
    private final KpuScalarKernel scalar;
    private float[] tapPanel = new float[0];
    private long[] xTerm = new long[0];
    private double[] xTermD = new double[0];
    private int[] sumX = new int[0];

    private KpuVectorKernel(KpuWork work, KpuInputStage input, KpuScalarKernel scalar) {
        this.work = work;
        this.input = input;
        this.scalar = scalar;
    }

    static KpuConvKernel create(KpuWork work, KpuInputStage input, KpuScalarKernel scalar) {
        input.useConverter(KpuVectorGemm::widenBytes);
        return new KpuVectorKernel(work, input, scalar);
    }

    @Override
    public String name() {
        return "vector";
    }

    /**
     * True when the grid positions should go on the broadcast side: fewer padded rows than with pixels
     * on the vector side.
     */
    static boolean pixelsBroadcast(int n, int oc) {
        int nb = KpuVectorGemm.nb();
        int mr = KpuVectorGemm.MR;
        long pixelVector = (long) KpuVectorGemm.blocks(n, nb) * nb * KpuVectorGemm.blocks(oc, mr) * mr;
        long pixelBroadcast = (long) KpuVectorGemm.blocks(n, mr) * mr * KpuVectorGemm.blocks(oc, nb) * nb;
        return pixelBroadcast < pixelVector;
    }

    @Override
    public void compute(KpuLayerArgument layer, KpuConvData data, KpuPreparedWeights prep, KpuRules rules, KpuGrid g,
            byte[] activated) {
        final int n = g.n;
        final KpuBnActivation analysis = new KpuBnActivation(layer, data, prep, rules, activated, n);
        final int blockPad = KpuVectorGemm.blocks(layer.outputChannels(), KpuVectorGemm.nb()) * KpuVectorGemm.nb();
        final KpuVectorBnActivation epi = new KpuVectorBnActivation(analysis, prep, blockPad);
        if (layer.depthwise()) {
            if (g.s != 1) {
                scalar.depthwise(layer, prep, g, analysis);
            } else {
                depthwise(layer, prep, epi, activated);
            }
            return;
        }
        final int c = layer.inputChannels();
        final int k = layer.kernelSize();
        final int kTotal = c * k * k;
        final int oc = layer.outputChannels();
        final int[][] tp = input.tapMatrix(c, layer.inputWidth(), k, g);
        final boolean sixteen = prep.hi != null;
        final int nb = KpuVectorGemm.nb();
        final int mr = KpuVectorGemm.MR;
        final long macs = (long) oc * n * kTotal;
        if (!pixelsBroadcast(n, oc)) {
            // weights broadcast (blocks of MR channels), pixels in vectors (blocks of nb positions)
            packTaps(tp, kTotal, n, nb, epi);
            final float[] bx = tapPanel;
            final long[] xt = xTerm;
            final double[] xtd = xTermD;
            final float[] aw = prep.weightPanel(false, mr);
            final float[] awHi = sixteen ? prep.weightPanel(true, mr) : null;
            final int nPb = KpuVectorGemm.blocks(n, nb);
            final int nSb = KpuVectorGemm.blocks(nPb, SUPER_BLOCK);
            final int nOb = KpuVectorGemm.blocks(oc, mr);
            final int groups = KpuVectorGemm.blocks(nOb, BLOCKS_PER_ITEM);
            work.forRange(nSb * groups, macs, (from, to) -> {
                int[] cLo = KpuWork.scratch(0, mr * nb);
                int[] cHi = sixteen ? KpuWork.scratch(1, mr * nb) : null;
                int span = SUPER_BLOCK * nb;
                long[] av = KpuWork.scratchLong(1, span);
                long[] yv = KpuWork.scratchLong(2, span);
                int[] rLo = KpuWork.scratch(3, mr * span);
                int[] rHi = sixteen ? KpuWork.scratch(4, mr * span) : null;
                for (int item = from; item < to; item++) {
                    int sb = item / groups;
                    int ob0 = (item % groups) * BLOCKS_PER_ITEM;
                    int ob1 = Math.min(nOb, ob0 + BLOCKS_PER_ITEM);
                    int pb0 = sb * SUPER_BLOCK;
                    int pb1 = Math.min(nPb, pb0 + SUPER_BLOCK);
                    int i0 = pb0 * nb;
                    int count = Math.min(n, pb1 * nb) - i0;
                    for (int ob = ob0; ob < ob1; ob++) {
                        // MR channel rows over the super-block's positions, then BN/activation per row
                        for (int pb = pb0; pb < pb1; pb++) {
                            KpuVectorGemm.tile(aw, ob * kTotal * mr, bx, pb * kTotal * nb, kTotal, cLo);
                            scatterRows(cLo, rLo, mr, nb, span, (pb - pb0) * nb);
                            if (cHi != null) {
                                KpuVectorGemm.tile(awHi, ob * kTotal * mr, bx, pb * kTotal * nb, kTotal, cHi);
                                scatterRows(cHi, rHi, mr, nb, span, (pb - pb0) * nb);
                            }
                        }
                        for (int r = 0, o = ob * mr; r < mr && o < oc; r++, o++) {
                            if (rHi == null && epi.closed(o)) {
                                epi.rowClosed(o, rLo, r * span, xtd, i0, count, activated, o * n + i0);
                            } else {
                                epi.row(o, rLo, rHi, r * span, xt, i0, count, activated, o * n + i0, av, yv);
                            }
                        }
                    }
                }
            });
            return;
        }
        // few positions, many channels: positions broadcast (blocks of MR), channels in vectors (blocks of nb)
        packTaps(tp, kTotal, n, mr, epi);
        final float[] ax = tapPanel;
        final long[] xt = xTerm;
        final double[] xtd = xTermD;
        final boolean closedTiles = !sixteen && epi.allClosed();
        final float[] bw = prep.weightPanel(false, nb);
        final float[] bwHi = sixteen ? prep.weightPanel(true, nb) : null;
        final int nPb = KpuVectorGemm.blocks(n, mr);
        final int nOb = KpuVectorGemm.blocks(oc, nb);
        final int[] segLo = analysis.segLo;
        final int[] segHi = analysis.segHi;
        work.forRange(nPb * nOb, macs, (from, to) -> {
            int[] cLo = KpuWork.scratch(0, mr * nb);
            int[] cHi = sixteen ? KpuWork.scratch(1, mr * nb) : null;
            int[] tLo = KpuWork.scratch(3, mr * nb);
            int[] tHi = sixteen ? KpuWork.scratch(4, mr * nb) : null;
            long[] av = KpuWork.scratchLong(1, mr);
            long[] yv = KpuWork.scratchLong(2, mr);
            byte[] tb = KpuWork.scratchBytes(mr * nb);
            for (int item = from; item < to; item++) {
                int ob = item / nPb; // consecutive items share the weight block
                int pb = item % nPb;
                KpuVectorGemm.tile(ax, pb * kTotal * mr, bw, ob * kTotal * nb, kTotal, cLo);
                if (closedTiles) {
                    // channels on the lanes straight from the tile, then the bytes scattered to their channel rows
                    int i0 = pb * mr;
                    int count = Math.min(mr, n - i0);
                    epi.tileClosed(ob * nb, cLo, mr, nb, xtd, i0, tb);
                    if (count == 8) {
                        // a channel's 8 positions are 8 consecutive bytes: one little-endian long store
                        for (int j = 0, o = ob * nb; j < nb && o < oc; j++, o++) {
                            long v = (tb[j] & 0xFFL) | (tb[nb + j] & 0xFFL) << 8 | (tb[2 * nb + j] & 0xFFL) << 16
                                    | (tb[3 * nb + j] & 0xFFL) << 24 | (tb[4 * nb + j] & 0xFFL) << 32
                                    | (tb[5 * nb + j] & 0xFFL) << 40 | (tb[6 * nb + j] & 0xFFL) << 48
                                    | (tb[7 * nb + j] & 0xFFL) << 56;
                            LONGS.set(activated, o * n + i0, v);
                        }
                    } else {
                        for (int j = 0, o = ob * nb; j < nb && o < oc; j++, o++) {
                            for (int r = 0; r < count; r++) {
                                activated[o * n + i0 + r] = tb[r * nb + j];
                            }
                        }
                    }
                    continue;
                }
                if (cHi != null) {
                    KpuVectorGemm.tile(ax, pb * kTotal * mr, bwHi, ob * kTotal * nb, kTotal, cHi);
                }
                // c[r·nb + j] is position pb·MR + r of channel ob·nb + j: channel rows for the epilogue
                transpose(cLo, tLo, mr, nb);
                if (cHi != null) {
                    transpose(cHi, tHi, mr, nb);
                }
                int i0 = pb * mr;
                int count = Math.min(mr, n - i0);
                for (int j = 0, o = ob * nb; j < nb && o < oc; j++, o++) {
                    epi.row(o, segLo[o], segHi[o], tLo, tHi, j * mr, xt, i0, count, activated, o * n + i0, av, yv);
                }
            }
        });
    }

    /**
     * Stage 1 for the GEMM, parallel over blocks of b grid positions: the tap rows packed into
     * {@link #tapPanel} (width b), Σx of each position and its x-term into {@link #xTerm} (shared by
     * every output channel).
     */
    private void packTaps(int[][] tp, int kTotal, int n, int b, KpuVectorBnActivation epi) {
        int nBlocks = KpuVectorGemm.blocks(n, b);
        int size = nBlocks * kTotal * b;
        if (tapPanel.length < size) {
            tapPanel = new float[size];
        }
        if (xTerm.length < n) {
            xTerm = new long[n];
            xTermD = new double[n];
            sumX = new int[n];
        }
        final float[] panel = tapPanel;
        final int[] sx = sumX;
        final long[] xt = xTerm;
        final double[] xtd = xTermD;
        work.forRange(nBlocks, (long) kTotal * n * 2, (from, to) -> {
            for (int pb = from; pb < to; pb++) {
                KpuVectorGemm.packBlock(tp, kTotal, n, b, pb, panel, sx);
                int i0 = pb * b;
                int len = Math.min(b, n - i0);
                epi.xTerms(sx, i0, xt, i0, len);
                epi.xTermsClosed(sx, i0, xtd, i0, len);
            }
        });
    }

    /** Row r of a tile (r·nb..) to dst[r·span + at..]. */
    private static void scatterRows(int[] tile, int[] dst, int rows, int nb, int span, int at) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * nb, dst, r * span + at, nb);
        }
    }

    /** dst[j·rows + r] = src[r·cols + j]. */
    private static void transpose(int[] src, int[] dst, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                dst[j * rows + r] = src[r * cols + j];
            }
        }
    }

    /** Depthwise on the full grid: stencil per channel, BN/activation over the row-major positions, border columns dropped. */
    private void depthwise(KpuLayerArgument layer, KpuPreparedWeights prep, KpuVectorBnActivation epi, byte[] activated) {
        final int h = layer.inputHeight();
        final int w = layer.inputWidth();
        final int k = layer.kernelSize();
        final int k2 = k * k;
        final int wp = k == 3 ? w + 2 : w;
        final int oc = layer.outputChannels();
        final int n = h * w;
        final int d = KpuVectorDepthwise.domain(h, w, k);
        final int[][] pl = input.planes;
        // arg_x a multiple of 2^shr_x: the x-term is (arg_x >> shr_x)·Σx exactly, folded into the weights
        final int shrX = layer.shrX();
        final int cx = layer.argX() >> shrX;
        final boolean foldable = prep.hi == null && (layer.argX() & ((1 << shrX) - 1)) == 0
                && Math.abs(cx) < (1 << 20);
        final int[] folded = foldable ? new int[prep.lo.length] : null;
        if (foldable) {
            for (int i = 0; i < folded.length; i++) {
                folded[i] = prep.lo[i] + cx; // |Σ (w + cx)·x| < 9·255·2^21 < 2^31
            }
        }
        work.forRange(oc, (long) oc * n * k2, (from, to) -> {
            int[] acc = KpuWork.scratch(0, d);
            int[] accHi = prep.hi == null ? null : KpuWork.scratch(1, d);
            int[] box = KpuWork.scratch(2, d);
            byte[] rows = KpuWork.scratchBytes(h * wp);
            long[] xt = KpuWork.scratchLong(0, d);
            long[] av = KpuWork.scratchLong(1, d);
            long[] yv = KpuWork.scratchLong(2, d);
            double[] xtd = KpuWork.scratchDouble(d);
            for (int o = from; o < to; o++) {
                if (accHi == null && epi.closed(o)) {
                    double[] x = null;
                    if (folded != null) {
                        KpuVectorDepthwise.channel(pl[o], w, h, k, folded, null, o * k2, acc, null, null);
                    } else {
                        KpuVectorDepthwise.channel(pl[o], w, h, k, prep.lo, null, o * k2, acc, null, box);
                        epi.xTermsClosed(box, 0, xtd, 0, d);
                        x = xtd;
                    }
                    if (wp == w) {
                        epi.rowClosed(o, acc, 0, x, 0, d, activated, o * n);
                    } else {
                        epi.rowClosed(o, acc, 0, x, 0, d, rows, 0);
                        for (int y = 0; y < h; y++) {
                            System.arraycopy(rows, y * wp, activated, o * n + y * w, w);
                        }
                    }
                    continue;
                }
                KpuVectorDepthwise.channel(pl[o], w, h, k, prep.lo, prep.hi, o * k2, acc, accHi, box);
                epi.xTerms(box, 0, xt, 0, d);
                if (wp == w) {
                    epi.row(o, acc, accHi, 0, xt, 0, d, activated, o * n, av, yv);
                } else {
                    epi.row(o, acc, accHi, 0, xt, 0, d, rows, 0, av, yv);
                    for (int y = 0; y < h; y++) {
                        System.arraycopy(rows, y * wp, activated, o * n + y * w, w);
                    }
                }
            }
        });
    }
}
