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
    private final KpuInputStage input;
    private final KpuConvKernel kernel;
    private final KpuWork work;
    private byte[] activated = new byte[0];

    /** A KPU that uses the common fork-join pool for large layers. */
    public Kpu() {
        this(true);
    }

    /** A KPU; {@code parallel = false} keeps all work on the calling thread. */
    public Kpu(boolean parallel) {
        this(parallel, KpuConvKernel.Choice.BEST);
    }

    /** A KPU with a chosen conv kernel (tests compare the kernels; {@code BEST} is the vector one when available). */
    Kpu(boolean parallel, KpuConvKernel.Choice choice) {
        this.work = new KpuWork(parallel);
        this.input = new KpuInputStage(work);
        this.kernel = KpuConvKernel.create(choice, work, input);
    }

    /**
     * The conv kernel in use: {@code "vector"} (int8 GEMM on {@code jdk.incubator.vector}, when the JVM
     * runs with {@code --add-modules jdk.incubator.vector}) or {@code "scalar"} (portable loops).
     */
    public String kernelName() {
        return kernel.name();
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
            // one batch of a select or bypass pool: the conv's bytes are the output, written there directly
            boolean direct = batches == 1 && (grid.select || pool.op() == KpuPoolType.Op.BYPASS);
            if (direct) {
                kernel.compute(layer, data, prep, rules, grid, output);
                continue;
            }
            if (activated.length < oc * grid.n) {
                activated = new byte[oc * grid.n];
            }
            kernel.compute(layer, data, prep, rules, grid, activated);
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
            final int from = n * denseOut;
            work.forRange(oc, denseOut, (c0, c1) -> KpuWriteBack.writeBack(mem, dst, outLayout, output, from, c0, c1, oh, ow));
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

    /**
     * Pools one h×w uint8 channel at {@code src[so..]} into an oh×ow channel at {@code dst[doff..]}
     * (kpu-arith.md §3.5); the pooling stage, public for tests and for CPU-side reuse.
     */
    public static void pool(byte[] src, int so, int h, int w, KpuPoolType type, KpuRules rules, byte[] dst, int doff,
            int oh, int ow) {
        KpuPooling.pool(src, so, h, w, type, rules, dst, doff, oh, ow);
    }
}
