package k210studio.kpu.chip;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
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
 * {@code KpuDifferentialTest} and {@code KpuRealDataTest} against a literal transcription):
 * <ul>
 * <li>the conv is evaluated on a "grid": the full input, or for select pools (5, 6, 7) only the pixels
 * the pool keeps;</li>
 * <li>each (input channel, tap) becomes a dense int array over the grid ("virtual channel"), so a
 * conv is a GEMM of weights [o][c·k²] by taps [c·k²][grid] with plain same-index loops that HotSpot
 * C2 vectorises (8-bit: int accumulators cannot overflow; 16-bit: low and high weight bytes are two
 * int GEMMs combined in 64 bits); small grids are vectorised over output channels instead;</li>
 * <li>Σw and the arg_w/arg_add terms are per-channel constants, Σx per grid position is shared by all
 * output channels;</li>
 * <li>BN + activation run in 64-bit without data-dependent branches: per output channel the segments
 * any input 0..255 can reach are found from bounds of the accumulator, so rc5-style ReLU tables reduce
 * to one compare.</li>
 * </ul>
 */
public final class Kpu {
    /** Ints of tap data a pixel tile of the GEMM may span (all virtual channels), to stay in L2. */
    private static final int TILE_BUDGET_INTS = 64 * 1024;
    /** Below this many MACs a layer runs on the calling thread only. */
    private static final long PARALLEL_MIN_MACS = 200_000;

    private final boolean parallel;
    /** Below this many grid positions the GEMM is vectorised over output channels instead of pixels. */
    private static final int PIXEL_VECTOR_MIN = 128;

    private int[][] planes = new int[0][];
    private int[][] taps = new int[0][];
    private int[] sumX = new int[0];
    private long[] xTerm = new long[0];
    private byte[] activated = new byte[0];

    /** A KPU that uses the common fork-join pool for large layers. */
    public Kpu() {
        this(true);
    }

    /** A KPU; {@code parallel = false} keeps all work on the calling thread. */
    public Kpu(boolean parallel) {
        this.parallel = parallel && ForkJoinPool.getCommonPoolParallelism() > 0
                && Runtime.getRuntime().availableProcessors() > 1;
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

        Prepared prep = prepare(layer, data);
        final int denseOut = oc * oh * ow;
        byte[] output = new byte[denseOut * batches];
        byte[] mem = ram.bytes();
        final Grid grid = pool.op() == KpuPoolType.Op.SELECT
                ? new Grid(oh, ow, pool.stride(), pool.selectColumn(), true)
                : new Grid(h, w, 1, 0, false);
        for (int n = 0; n < batches; n++) {
            int src = layer.imageSrcAddr() * KpuRam.LINE_BYTES + n * inFmap;
            loadPlanes(mem, src, inLayout, c, h, w, k, layer.padValue());
            if (activated.length < oc * grid.n) {
                activated = new byte[oc * grid.n];
            }
            compute(layer, data, prep, rules, grid);
            if (grid.select) {
                System.arraycopy(activated, 0, output, n * denseOut, denseOut);
            } else {
                for (int o = 0; o < oc; o++) {
                    pool(activated, o * h * w, h, w, pool, rules, output, n * denseOut + o * oh * ow, oh, ow);
                }
            }
        }
        // write back after every batch has been read (input and output may overlap, as in the emulators)
        for (int n = 0; n < batches; n++) {
            int dst = layer.imageDstAddr() * KpuRam.LINE_BYTES + n * outFmap;
            writeBack(mem, dst, outLayout, output, n * denseOut, oc, oh, ow);
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

    // ------------------------------------------------------------------------------------------
    // preparation

    /** Per-layer precomputed weight forms, cached in {@link KpuConvData#prepared}. */
    private static final class Prepared {
        final KpuLayerArgument layer;
        /** Weights split into bytes: lo = w & 0xFF (all of w in 8-bit mode), hi = w >>> 8 (null in 8-bit mode). */
        final int[] lo;
        final int[] hi;
        /** Per output channel: (arg_w·Σw >> shr_w) + arg_add·C. */
        final long[] constant;
        /** Per output channel: Σw. */
        final long[] sumW;
        /** Transposed weights [k][o] for the channel-vectorised GEMM, built on first use. */
        volatile int[][] loT;
        volatile int[][] hiT;

        Prepared(KpuLayerArgument layer, int[] lo, int[] hi, long[] constant, long[] sumW) {
            this.layer = layer;
            this.lo = lo;
            this.hi = hi;
            this.constant = constant;
            this.sumW = sumW;
        }

        int[][] transposed(boolean high, int oc, int kTotal) {
            int[][] t = high ? hiT : loT;
            if (t == null) {
                int[] src = high ? hi : lo;
                t = new int[kTotal][oc];
                for (int o = 0; o < oc; o++) {
                    for (int k = 0; k < kTotal; k++) {
                        t[k][o] = src[o * kTotal + k];
                    }
                }
                if (high) {
                    hiT = t;
                } else {
                    loT = t;
                }
            }
            return t;
        }
    }

    private static Prepared prepare(KpuLayerArgument layer, KpuConvData data) {
        Object cached = data.prepared;
        if (cached instanceof Prepared && ((Prepared) cached).layer.equals(layer)) {
            return (Prepared) cached;
        }
        int oc = layer.outputChannels();
        int k2 = layer.kernelSize() * layer.kernelSize();
        int perOut = layer.depthwise() ? k2 : k2 * layer.inputChannels();
        long cTerm = layer.depthwise() ? 1 : layer.inputChannels();
        int[] w = data.weights;
        long[] constant = new long[oc];
        long[] sumW = new long[oc];
        for (int o = 0; o < oc; o++) {
            long sw = 0;
            for (int i = o * perOut, e = i + perOut; i < e; i++) {
                sw += w[i];
            }
            sumW[o] = sw;
            constant[o] = (((long) layer.argW() * sw) >> layer.shrW()) + layer.argAdd() * cTerm;
        }
        int[] lo = w;
        int[] hi = null;
        if (!data.isEightBit()) {
            lo = new int[w.length];
            hi = new int[w.length];
            for (int i = 0; i < w.length; i++) {
                lo[i] = w[i] & 0xFF;
                hi[i] = w[i] >>> 8;
            }
        }
        Prepared p = new Prepared(layer, lo, hi, constant, sumW);
        data.prepared = p;
        return p;
    }

    // ------------------------------------------------------------------------------------------
    // input: padded planes and tap arrays

    /**
     * The grid on which the conv is evaluated. For select pools (5, 6, 7) only the selected pixels
     * are computed (the others are discarded by the pool anyway): the grid is the pooled output and
     * grid point (gy, gx) is conv pixel (s·gy, s·gx + sc). Otherwise the grid is the full input.
     */
    private static final class Grid {
        final int gh;
        final int gw;
        final int s;
        final int sc;
        final int n;
        final boolean select;

        Grid(int gh, int gw, int s, int sc, boolean select) {
            this.gh = gh;
            this.gw = gw;
            this.s = s;
            this.sc = sc;
            this.n = gh * gw;
            this.select = select;
        }
    }

    /** Reads every input channel into an int plane; 3×3: (H+2)×(W+2) bordered with pad_value. */
    private void loadPlanes(byte[] mem, int src, KpuRowLayout layout, int c, int h, int w, int k, int padValue) {
        int wp = k == 3 ? w + 2 : w;
        int hp = k == 3 ? h + 2 : h;
        int plane = wp * hp;
        if (planes.length < c) {
            planes = Arrays.copyOf(planes, c);
        }
        final int rowBytes = layout.rowLen() * KpuRam.LINE_BYTES;
        final int off = k == 3 ? 1 : 0;
        for (int ch = 0; ch < c; ch++) {
            if (planes[ch] == null || planes[ch].length < plane) {
                planes[ch] = new int[plane];
            }
        }
        final int[][] pl = planes;
        forRange(c, (long) c * plane * 4, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                int[] p = pl[ch];
                if (k == 3) {
                    Arrays.fill(p, 0, plane, padValue);
                }
                int chOrigin = src + (ch / layout.groups()) * layout.rowLen() * h * KpuRam.LINE_BYTES
                        + (ch % layout.groups()) * layout.rowPitch();
                for (int y = 0; y < h; y++) {
                    int s = chOrigin + y * rowBytes;
                    int d = (y + off) * wp + off;
                    for (int x = 0; x < w; x++) {
                        p[d + x] = mem[s + x] & 0xFF;
                    }
                }
            }
        });
    }

    /** Tap (ky, kx) of a plane (row stride wp) on the grid into dst[0..n). */
    private static void buildTap(int[] plane, int wp, int ky, int kx, Grid g, int[] dst) {
        int gw = g.gw;
        if (g.s == 1) {
            for (int gy = 0; gy < g.gh; gy++) {
                System.arraycopy(plane, (gy + ky) * wp + kx, dst, gy * gw, gw);
            }
            return;
        }
        int s = g.s;
        for (int gy = 0; gy < g.gh; gy++) {
            int base = (s * gy + ky) * wp + g.sc + kx;
            int d = gy * gw;
            for (int gx = 0; gx < gw; gx++) {
                dst[d + gx] = plane[base + s * gx];
            }
        }
    }

    /** Per-thread scratch arrays (accumulators, depthwise taps), reused across layers. */
    private static final ThreadLocal<int[][]> SCRATCH = ThreadLocal.withInitial(() -> new int[12][]);

    /** Scratch array {@code slot} (0..11) of the calling thread with at least {@code length} ints (contents undefined). */
    private static int[] scratch(int slot, int length) {
        int[][] s = SCRATCH.get();
        int[] a = s[slot];
        if (a == null || a.length < length) {
            a = new int[Math.max(length, 16)];
            s[slot] = a;
        }
        return a;
    }

    private static final ThreadLocal<long[][]> SCRATCH_LONG = ThreadLocal.withInitial(() -> new long[1][]);

    private static long[] scratchLong(int length) {
        long[][] s = SCRATCH_LONG.get();
        if (s[0] == null || s[0].length < length) {
            s[0] = new long[Math.max(length, 16)];
        }
        return s[0];
    }

    /** xt[i] = arg_x·Σx[i] >> shr_x (64-bit, floor). */
    private static void xTerms(int[] sx, long[] xt, int n, int argX, int shrX) {
        final long ax = argX;
        for (int i = 0; i < n; i++) {
            xt[i] = (ax * sx[i]) >> shrX;
        }
    }

    private static int[][] ensureRows(int[][] rows, int count, int length) {
        int[][] r = rows.length >= count ? rows : Arrays.copyOf(rows, count);
        for (int i = 0; i < count; i++) {
            if (r[i] == null || r[i].length < length) {
                r[i] = new int[length];
            }
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------
    // convolution + BN + activation

    /** A range of work items run on one thread. */
    private interface RangeTask {
        void run(int from, int to);
    }

    private void forRange(int count, long work, RangeTask task) {
        if (parallel && count >= 2 && work >= PARALLEL_MIN_MACS) {
            // sixteen pieces: small enough that the two cores of the target finish together even when one is slowed
            ForkJoinPool.commonPool().invoke(new Split(task, 0, count, Math.max(1, count / 16)));
        } else {
            task.run(0, count);
        }
    }

    private static final class Split extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeTask task;
        private final int from;
        private final int to;
        private final int grain;

        Split(RangeTask task, int from, int to, int grain) {
            this.task = task;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                task.run(from, to);
                return;
            }
            int mid = from + (to - from) / 2;
            invokeAll(new Split(task, from, mid, grain), new Split(task, mid, to, grain));
        }
    }

    /** Conv + BN + activation of one batch into {@code activated[o·n + i]} on grid g. */
    private void compute(KpuLayerArgument layer, KpuConvData data, Prepared prep, KpuRules rules, Grid g) {
        final int c = layer.inputChannels();
        final int h = layer.inputHeight();
        final int w = layer.inputWidth();
        final int k = layer.kernelSize();
        final int k2 = k * k;
        final int wp = k == 3 ? w + 2 : w;
        final int oc = layer.outputChannels();
        final int n = g.n;
        final Epilogue epi = new Epilogue(layer, data, prep, rules, activated, n);
        final int argX = layer.argX();
        final int shrX = layer.shrX();
        if (layer.depthwise()) {
            final int[][] pl = planes;
            forRange(oc, (long) oc * n * k2, (from, to) -> {
                int[][] t = new int[k2][];
                for (int tap = 0; tap < k2; tap++) {
                    t[tap] = scratch(3 + tap, n);
                }
                int[] acc = scratch(0, n);
                int[] accHi = prep.hi == null ? null : scratch(1, n);
                int[] box = scratch(2, n);
                long[] xt = scratchLong(n);
                for (int o = from; o < to; o++) {
                    for (int tap = 0; tap < k2; tap++) {
                        buildTap(pl[o], wp, tap / k, tap % k, g, t[tap]);
                    }
                    sumTaps(t, k2, box, n);
                    xTerms(box, xt, n, argX, shrX);
                    dotTaps(t, k2, prep.lo, o * k2, acc, n);
                    if (accHi != null) {
                        dotTaps(t, k2, prep.hi, o * k2, accHi, n);
                    }
                    epi.channel(o, acc, accHi, xt, 0, n);
                }
            });
            return;
        }
        final int kTotal = c * k2;
        final int[][] pl = planes;
        final int[][] tp;
        if (k == 1 && g.s == 1) {
            tp = pl; // a 1x1 conv on the full grid reads the planes as they are
        } else {
            taps = ensureRows(taps, kTotal, n);
            tp = taps;
            forRange(c, (long) kTotal * n * 4, (from, to) -> {
                for (int ch = from; ch < to; ch++) {
                    for (int tap = 0; tap < k2; tap++) {
                        buildTap(pl[ch], wp, tap / k, tap % k, g, tp[ch * k2 + tap]);
                    }
                }
            });
        }
        if (sumX.length < n) {
            sumX = new int[n];
        }
        final int[] sx = sumX;
        Arrays.fill(sx, 0, n, 0);
        for (int kk = 0; kk < kTotal; kk++) {
            addTo(sx, tp[kk], n);
        }
        // arg_x·Σx >> shr_x depends on the position only: once per layer, shared by every output channel
        if (xTerm.length < n) {
            xTerm = new long[n];
        }
        final long[] xt = xTerm;
        xTerms(sx, xt, n, argX, shrX);
        long work = (long) oc * n * kTotal;
        if (n >= PIXEL_VECTOR_MIN || oc < 64) {
            // vectorise over pixels: acc[i] += Σ_k w[o][k]·tap_k[i]
            final int tile = Math.max(256, Math.min(n, TILE_BUDGET_INTS / Math.max(1, kTotal) / 64 * 64));
            forRange(oc, work, (from, to) -> {
                int[] acc = scratch(0, n);
                int[] accHi = prep.hi == null ? null : scratch(1, n);
                for (int i0 = 0; i0 < n; i0 += tile) {
                    int i1 = Math.min(n, i0 + tile);
                    for (int o = from; o < to; o++) {
                        gemmRow(tp, kTotal, prep.lo, o * kTotal, acc, i0, i1);
                        if (accHi != null) {
                            gemmRow(tp, kTotal, prep.hi, o * kTotal, accHi, i0, i1);
                        }
                        epi.channel(o, acc, accHi, xt, i0, i1);
                    }
                }
            });
        } else {
            // few pixels, many channels: vectorise over output channels per pixel
            final int[][] wLo = prep.transposed(false, oc, kTotal);
            final int[][] wHi = prep.hi == null ? null : prep.transposed(true, oc, kTotal);
            forRange(n, work, (from, to) -> {
                int[] xv = scratch(2, kTotal);
                int[] acc = scratch(0, oc);
                int[] accHi = wHi == null ? null : scratch(1, oc);
                for (int i = from; i < to; i++) {
                    for (int kk = 0; kk < kTotal; kk++) {
                        xv[kk] = tp[kk][i];
                    }
                    gemmColumn(wLo, kTotal, xv, acc, oc);
                    if (accHi != null) {
                        gemmColumn(wHi, kTotal, xv, accHi, oc);
                    }
                    epi.pixel(i, acc, accHi, xt[i], oc);
                }
            });
        }
    }

    private static void addTo(int[] dst, int[] src, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] += src[i];
        }
    }

    /** box = Σ taps (at most four arrays per loop: C2 does not vectorise loops over more). */
    private static void sumTaps(int[][] t, int k2, int[] box, int n) {
        if (k2 == 1) {
            System.arraycopy(t[0], 0, box, 0, n);
            return;
        }
        add4(box, t[0], t[1], t[2], t[3], n, true);
        add4(box, t[4], t[5], t[6], t[7], n, false);
        addTo(box, t[8], n);
    }

    private static void add4(int[] dst, int[] p0, int[] p1, int[] p2, int[] p3, int n, boolean assign) {
        if (assign) {
            for (int i = 0; i < n; i++) {
                dst[i] = p0[i] + p1[i] + p2[i] + p3[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                dst[i] += p0[i] + p1[i] + p2[i] + p3[i];
            }
        }
    }

    /** acc = Σ_t w_t·tap_t over the k² taps of one depthwise channel. */
    private static void dotTaps(int[][] t, int k2, int[] wt, int wb, int[] acc, int n) {
        if (k2 == 1) {
            int w0 = wt[wb];
            int[] t0 = t[0];
            for (int i = 0; i < n; i++) {
                acc[i] = w0 * t0[i];
            }
            return;
        }
        Arrays.fill(acc, 0, n, 0);
        mac4(acc, t[0], t[1], t[2], t[3], wt[wb], wt[wb + 1], wt[wb + 2], wt[wb + 3], 0, n);
        mac4(acc, t[4], t[5], t[6], t[7], wt[wb + 4], wt[wb + 5], wt[wb + 6], wt[wb + 7], 0, n);
        mac1(acc, t[8], wt[wb + 8], 0, n);
    }

    /** acc[i0..i1) = Σ_k wt[wb + k]·x_k[i] (4 inputs per pass; C2 vectorises the same-index loops). */
    private static void gemmRow(int[][] x, int kTotal, int[] wt, int wb, int[] acc, int i0, int i1) {
        Arrays.fill(acc, i0, i1, 0);
        int k = 0;
        for (; k + 4 <= kTotal; k += 4) {
            mac4(acc, x[k], x[k + 1], x[k + 2], x[k + 3], wt[wb + k], wt[wb + k + 1], wt[wb + k + 2], wt[wb + k + 3],
                    i0, i1);
        }
        for (; k < kTotal; k++) {
            mac1(acc, x[k], wt[wb + k], i0, i1);
        }
    }

    /** acc[0..oc) = Σ_k wT[k][o]·xv[k]. */
    private static void gemmColumn(int[][] wT, int kTotal, int[] xv, int[] acc, int oc) {
        Arrays.fill(acc, 0, oc, 0);
        int k = 0;
        for (; k + 4 <= kTotal; k += 4) {
            mac4(acc, wT[k], wT[k + 1], wT[k + 2], wT[k + 3], xv[k], xv[k + 1], xv[k + 2], xv[k + 3], 0, oc);
        }
        for (; k < kTotal; k++) {
            mac1(acc, wT[k], xv[k], 0, oc);
        }
    }

    private static void mac4(int[] acc, int[] p0, int[] p1, int[] p2, int[] p3, int w0, int w1, int w2, int w3,
            int from, int to) {
        for (int i = from; i < to; i++) {
            acc[i] += w0 * p0[i] + w1 * p1[i] + w2 * p2[i] + w3 * p3[i];
        }
    }

    private static void mac1(int[] acc, int[] p0, int w0, int from, int to) {
        for (int i = from; i < to; i++) {
            acc[i] += w0 * p0[i];
        }
    }

    /** Offsets, BN and activation of accumulators into {@code out[o·n + i]}. */
    private static final class Epilogue {
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
        final byte[] out;
        final int n;

        Epilogue(KpuLayerArgument layer, KpuConvData data, Prepared prep, KpuRules rules, byte[] out, int n) {
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
            int k2 = layer.kernelSize() * layer.kernelSize();
            long taps = layer.depthwise() ? k2 : (long) k2 * layer.inputChannels();
            long f0 = 0;
            long f1 = ((long) argX * (255 * taps)) >> shrX;
            for (int o = 0; o < oc; o++) {
                segLo[o] = 0;
                segHi[o] = 15;
                if (!ascending) {
                    continue;
                }
                // bounds of a = Σxw + (arg_x·Σx >> shr_x) + constant over all inputs 0..255
                long aLo = constant[o] + Math.min(f0, f1);
                long aHi = constant[o] + 255 * prep.sumW[o] + Math.max(f0, f1);
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

    // ------------------------------------------------------------------------------------------
    // pooling and write-back

    /**
     * Pools one h×w uint8 channel at {@code src[so..]} into an oh×ow channel at {@code dst[doff..]}
     * (kpu-arith.md §3.5). Public for tests and for CPU-side reuse.
     */
    public static void pool(byte[] src, int so, int h, int w, KpuPoolType type, KpuRules rules, byte[] dst, int doff,
            int oh, int ow) {
        int stride = type.stride();
        int win = type.window();
        switch (type.op()) {
            case BYPASS:
                System.arraycopy(src, so, dst, doff, h * w);
                return;
            case SELECT: {
                int sc = type.selectColumn();
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int y = oy * stride;
                        int x = ox * stride + sc;
                        dst[doff + oy * ow + ox] = y < h && x < w ? src[so + y * w + x] : 0;
                    }
                }
                return;
            }
            case MAX:
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int m = 0;
                        for (int ky = 0; ky < win; ky++) {
                            int y = oy * stride + ky;
                            if (y >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < win; kx++) {
                                int x = ox * stride + kx;
                                if (x < w) {
                                    m = Math.max(m, src[so + y * w + x] & 0xFF);
                                }
                            }
                        }
                        dst[doff + oy * ow + ox] = (byte) m;
                    }
                }
                return;
            case MEAN: {
                boolean beta4 = rules == KpuRules.BETA4;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int sum = 0;
                        int count = 0;
                        for (int ky = 0; ky < win; ky++) {
                            int y = oy * stride + ky;
                            if (y >= h) {
                                if (!beta4) {
                                    continue;
                                }
                                y = h - 1;
                            }
                            for (int kx = 0; kx < win; kx++) {
                                int x = ox * stride + kx;
                                if (x >= w) {
                                    if (!beta4) {
                                        continue;
                                    }
                                    x = w - 1;
                                }
                                sum += src[so + y * w + x] & 0xFF;
                                count++;
                            }
                        }
                        dst[doff + oy * ow + ox] = (byte) (beta4 ? sum / (win * win) : sum / count);
                    }
                }
                return;
            }
            default:
                throw new IllegalStateException("unhandled pool op " + type.op());
        }
    }

    private static void writeBack(byte[] mem, int dst, KpuRowLayout layout, byte[] dense, int from, int c, int h,
            int w) {
        if (layout.isDense()) {
            System.arraycopy(dense, from, mem, dst, c * h * w);
            return;
        }
        int rowBytes = layout.rowLen() * KpuRam.LINE_BYTES;
        int s = from;
        for (int ch = 0; ch < c; ch++) {
            int co = dst + (ch / layout.groups()) * layout.rowLen() * h * KpuRam.LINE_BYTES
                    + (ch % layout.groups()) * layout.rowPitch();
            for (int y = 0; y < h; y++) {
                System.arraycopy(dense, s, mem, co + y * rowBytes, w);
                s += w;
            }
        }
    }
}
