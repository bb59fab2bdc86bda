package k210studio.kpu.chip;

import java.util.List;
import k210studio.kpu.kmodel.KpuRules;

/**
 * The K210 KPU: runs one layer (12 register words + weights/BN/activation tables) on {@link KpuRam},
 * bit-exact to nncase's emulators (kpu-arith.md §2–§3):
 *
 * <ol>
 * <li>download the C_in×H×W input from image_src_addr (layout of its width);</li>
 * <li>stride-1 "same" conv at full input resolution (3×3 with a 1-pixel border of pad_value, or 1×1),
 * depthwise or full: acc = Σx·w + (arg_x·Σx >> shr_x) + (arg_w·Σw >> shr_w) + arg_add·C
 * (C = C_in, or 1 for depthwise);</li>
 * <li>per channel bn = (acc·norm_mul >> norm_shift) + norm_add;</li>
 * <li>16-segment activation, rounding and segment choice per {@link KpuRules} (RC5 / BETA4), clamp to
 * uint8;</li>
 * <li>pooling ({@link KpuPoolType}; mean pools: BETA4 clamps window coordinates to the image and
 * divides by 4/16, RC5 divides the in-image sum by the in-image count);</li>
 * <li>write the pooled map to image_dst_addr (layout of the output width) and return it densely
 * ({@link KpuLayerResult}) for a main-memory output.</li>
 * </ol>
 *
 * The whole input is read before anything is written, so input and output may overlap as in the
 * emulators. Register combinations whose meaning is unknown (first_stride, bypass_conv, full_add,
 * pad_type 1, kernel_type ≥ 2, pool_type ≥ 10) and fields that contradict the shapes are refused with
 * {@link KpuException}. Reuse one instance for many layers (scratch buffers are kept); not thread-safe,
 * but it spreads the output channels of a layer over the common fork-join pool.
 *
 * <p>Implementation (all integer, results identical to the per-pixel equations; pinned by
 * {@code KpuDifferentialTest} and {@code KpuRealDataTest} against a literal transcription, and by
 * {@code KpuGoldenTest} to the recorded bytes of every fixture layer), one class per stage so that
 * each can be replaced on its own:
 * <ol>
 * <li>{@link KpuInputStage}: input map to planes, the tap arrays of the conv on its {@link KpuGrid}
 * (the full input, or for select pools 5, 6, 7 only the pixels the pool keeps), Σx terms;</li>
 * <li>{@link KpuDotProducts}: the integer GEMM of weights ({@link KpuPreparedWeights}) by taps;</li>
 * <li>{@link KpuBnActivation}: offsets, BN and activation to uint8;</li>
 * <li>{@link KpuPooling}: the pool of non-select pool types;</li>
 * <li>{@link KpuWriteBack}: the output map in the row layout of its width.</li>
 * </ol>
 * {@link KpuWork} spreads the stages over the cores.
 */
public final class Kpu {
    /** Ints of tap data a pixel tile of the GEMM may span (all virtual channels), to stay in L2. */
    private static final int TILE_BUDGET_INTS = 64 * 1024;
    /** Below this many grid positions the GEMM is vectorised over output channels instead of pixels. */
    private static final int PIXEL_VECTOR_MIN = 128;

    private final KpuWork work;
    private final KpuInputStage input;
    private byte[] activated = new byte[0];

    /** A KPU that uses the common fork-join pool for large layers. */
    public Kpu() {
        this(true);
    }

    /** A KPU; {@code parallel = false} keeps all work on the calling thread. */
    public Kpu(boolean parallel) {
        this.work = new KpuWork(parallel);
        this.input = new KpuInputStage(work);
    }

    /** Runs one layer on one batch. */
    public KpuLayerResult runLayer(KpuRam ram, KpuLayerArgument layer, KpuConvData data, KpuRules rules)
            throws KpuException {
        return runLayer(ram, layer, data, rules, 1);
    }

    /**
     * Runs one layer on {@code batches} stacked batches (V4 kpu_conv2d: batch n's input and output
     * start one feature map after batch n−1's).
     *
     * @param rules RC5 or BETA4 ({@link KpuRules#MODEL_DEFAULT} must be resolved first)
     * @throws KpuException when the registers or tables cannot be run (the message names the field)
     */
    public KpuLayerResult runLayer(KpuRam ram, KpuLayerArgument layer, KpuConvData data, KpuRules rules, int batches)
            throws KpuException {
        if (rules != KpuRules.RC5 && rules != KpuRules.BETA4) {
            throw new IllegalArgumentException("rules must be RC5 or BETA4, got " + rules
                    + "; resolve MODEL_DEFAULT with KpuRules.resolve(kmodelVersion)");
        }
        validate(layer, data, batches);
        final int c = layer.inputChannels();
        final int h = layer.inputHeight();
        final int w = layer.inputWidth();
        final int oc = layer.outputChannels();
        final int oh = layer.outputHeight();
        final int ow = layer.outputWidth();
        final KpuPoolType pool = layer.poolType();
        final int k = layer.kernelSize();
        final boolean dw = layer.depthwise();
        final KpuRowLayout inLayout = layer.inputLayout();
        final KpuRowLayout outLayout = layer.outputLayout();
        final int inFmap = (int) inLayout.bytes(h, c);
        final int outFmap = (int) outLayout.bytes(oh, oc);
        KpuRam.checkMap("KPU layer input (image_src_addr)", layer.imageSrcAddr(), c, h, w, batches);
        KpuRam.checkMap("KPU layer output (image_dst_addr)", layer.imageDstAddr(), oc, oh, ow, batches);

        KpuPreparedWeights prep = KpuPreparedWeights.of(layer, data);
        final int denseOut = oc * oh * ow;
        byte[] output = new byte[denseOut * batches];
        byte[] mem = ram.bytes();
        final KpuGrid grid = KpuGrid.of(layer);
        for (int n = 0; n < batches; n++) {
            int src = layer.imageSrcAddr() * KpuRam.LINE_BYTES + n * inFmap;
            input.loadPlanes(mem, src, inLayout, c, h, w, k, layer.padValue());
            if (activated.length < oc * grid.n) {
                activated = new byte[oc * grid.n];
            }
            compute(layer, data, prep, rules, grid);
            if (grid.select) {
                System.arraycopy(activated, 0, output, n * denseOut, denseOut);
            } else {
                for (int o = 0; o < oc; o++) {
                    KpuPooling.pool(activated, o * h * w, h, w, pool, rules, output, n * denseOut + o * oh * ow, oh, ow);
                }
            }
        }
        // write back after every batch has been read (input and output may overlap, as in the emulators)
        for (int n = 0; n < batches; n++) {
            int dst = layer.imageDstAddr() * KpuRam.LINE_BYTES + n * outFmap;
            KpuWriteBack.writeBack(mem, dst, outLayout, output, n * denseOut, oc, oh, ow);
        }
        long macs = (long) h * w * k * k * (dw ? oc : (long) oc * c) * batches;
        long cycles = KpuTiming.estimate(layer, data.isEightBit(), batches).totalCycles();
        return new KpuLayerResult(output, oc, oh, ow, batches, cycles, macs);
    }

    /**
     * Checks that a layer and its tables can be run (the same checks {@link #runLayer} makes before it
     * touches KPU RAM).
     */
    public static void validate(KpuLayerArgument layer, KpuConvData data, int batches) throws KpuException {
        if (batches < 1) {
            throw new KpuException("KPU layer: batch count " + batches + " must be at least 1");
        }
        if (layer.kernelSize() < 0) {
            throw new KpuException("KPU layer: kernel_type " + layer.kernelType()
                    + " has no known meaning (0 = 1x1, 1 = 3x3); rewrite the layer with a known kernel");
        }
        if (layer.poolType() == null) {
            throw new KpuException("KPU layer: pool_type " + layer.poolTypeCode()
                    + " has no known meaning (0..9); rewrite the layer with a known pool type");
        }
        if (layer.firstStride() || layer.bypassConv() || layer.fullAdd() || layer.padType() != 0) {
            throw new KpuException("KPU layer: first_stride/bypass_conv/full_add/pad_type = " + (layer.firstStride() ? 1 : 0)
                    + "/" + (layer.bypassConv() ? 1 : 0) + "/" + (layer.fullAdd() ? 1 : 0) + "/" + layer.padType()
                    + ": the hardware meaning of these modes is unknown (nncase always writes 0), so they are not"
                    + " simulated; write 0");
        }
        List<String> problems = layer.consistencyProblems();
        for (String p : problems) {
            if (p.startsWith("output size") || p.startsWith("depthwise") || p.startsWith("input layout")
                    || p.startsWith("output layout")) {
                throw new KpuException("KPU layer registers contradict each other: " + p
                        + "; fix the register fields so that they describe the same shapes");
            }
        }
        long expected = layer.weightCount();
        if (data.weightCount() != expected) {
            throw new KpuException("KPU layer: " + data.weightCount() + " weights given but the registers ("
                    + (layer.depthwise() ? "depthwise " : "") + layer.kernelSize() + "x" + layer.kernelSize() + ", "
                    + layer.inputChannels() + " -> " + layer.outputChannels() + " channels) need " + expected);
        }
        if (data.bnCount() < layer.outputChannels()) {
            throw new KpuException("KPU layer: the batch-norm table has " + data.bnCount() + " entries but o_ch_num+1 = "
                    + layer.outputChannels() + " output channels need one each");
        }
    }

    /** Conv + BN + activation of one batch into {@code activated[o·n + i]} on grid g. */
    private void compute(KpuLayerArgument layer, KpuConvData data, KpuPreparedWeights prep, KpuRules rules, KpuGrid g) {
        final int c = layer.inputChannels();
        final int h = layer.inputHeight();
        final int w = layer.inputWidth();
        final int k = layer.kernelSize();
        final int k2 = k * k;
        final int wp = k == 3 ? w + 2 : w;
        final int oc = layer.outputChannels();
        final int n = g.n;
        final KpuBnActivation epi = new KpuBnActivation(layer, data, prep, rules, activated, n);
        final int argX = layer.argX();
        final int shrX = layer.shrX();
        if (layer.depthwise()) {
            final int[][] pl = input.planes;
            work.forRange(oc, (long) oc * n * k2, (from, to) -> {
                int[][] t = new int[k2][];
                for (int tap = 0; tap < k2; tap++) {
                    t[tap] = KpuWork.scratch(3 + tap, n);
                }
                int[] acc = KpuWork.scratch(0, n);
                int[] accHi = prep.hi == null ? null : KpuWork.scratch(1, n);
                int[] box = KpuWork.scratch(2, n);
                long[] xt = KpuWork.scratchLong(n);
                for (int o = from; o < to; o++) {
                    for (int tap = 0; tap < k2; tap++) {
                        KpuInputStage.buildTap(pl[o], wp, tap / k, tap % k, g, t[tap]);
                    }
                    KpuDotProducts.sumTaps(t, k2, box, n);
                    KpuInputStage.xTerms(box, xt, n, argX, shrX);
                    KpuDotProducts.dotTaps(t, k2, prep.lo, o * k2, acc, n);
                    if (accHi != null) {
                        KpuDotProducts.dotTaps(t, k2, prep.hi, o * k2, accHi, n);
                    }
                    epi.channel(o, acc, accHi, xt, 0, n);
                }
            });
            return;
        }
        final int kTotal = c * k2;
        final int[][] tp = input.tapMatrix(c, w, k, g);
        final long[] xt = input.xTerms(tp, kTotal, n, argX, shrX);
        long macs = (long) oc * n * kTotal;
        if (n >= PIXEL_VECTOR_MIN || oc < 64) {
            // vectorise over pixels: acc[i] += Σ_k w[o][k]·tap_k[i]
            final int tile = Math.max(256, Math.min(n, TILE_BUDGET_INTS / Math.max(1, kTotal) / 64 * 64));
            work.forRange(oc, macs, (from, to) -> {
                int[] acc = KpuWork.scratch(0, n);
                int[] accHi = prep.hi == null ? null : KpuWork.scratch(1, n);
                for (int i0 = 0; i0 < n; i0 += tile) {
                    int i1 = Math.min(n, i0 + tile);
                    for (int o = from; o < to; o++) {
                        KpuDotProducts.gemmRow(tp, kTotal, prep.lo, o * kTotal, acc, i0, i1);
                        if (accHi != null) {
                            KpuDotProducts.gemmRow(tp, kTotal, prep.hi, o * kTotal, accHi, i0, i1);
                        }
                        epi.channel(o, acc, accHi, xt, i0, i1);
                    }
                }
            });
        } else {
            // few pixels, many channels: vectorise over output channels per pixel
            final int[][] wLo = prep.transposed(false, oc, kTotal);
            final int[][] wHi = prep.hi == null ? null : prep.transposed(true, oc, kTotal);
            work.forRange(n, macs, (from, to) -> {
                int[] xv = KpuWork.scratch(2, kTotal);
                int[] acc = KpuWork.scratch(0, oc);
                int[] accHi = wHi == null ? null : KpuWork.scratch(1, oc);
                for (int i = from; i < to; i++) {
                    for (int kk = 0; kk < kTotal; kk++) {
                        xv[kk] = tp[kk][i];
                    }
                    KpuDotProducts.gemmColumn(wLo, kTotal, xv, acc, oc);
                    if (accHi != null) {
                        KpuDotProducts.gemmColumn(wHi, kTotal, xv, accHi, oc);
                    }
                    epi.pixel(i, acc, accHi, xt[i], oc);
                }
            });
        }
    }

    /**
     * Pools one h×w uint8 channel at {@code src[so..]} into an oh×ow channel at {@code dst[doff..]}
     * (kpu-arith.md §3.5); the pooling stage, public for tests and for CPU-side reuse.
     */
    public static void pool(byte[] src, int so, int h, int w, KpuPoolType type, KpuRules rules, byte[] dst, int doff,
            int oh, int ow) {
        KpuPooling.pool(src, so, h, w, type, rules, dst, doff, oh, ow);
    }
}
