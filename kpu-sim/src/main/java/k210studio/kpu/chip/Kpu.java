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
 */
public final class Kpu {
    /** Bytes of input (as ints) a row tile may span; keeps a tile's input in L2. */
    private static final int TILE_BUDGET_INTS = 64 * 1024;
    /** Below this many MACs a layer runs on the calling thread only. */
    private static final long PARALLEL_MIN_MACS = 2_000_000;

    private final boolean parallel;
    private int[] planes = new int[0];
    private int[] sumX = new int[0];
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
        for (int n = 0; n < batches; n++) {
            int src = layer.imageSrcAddr() * KpuRam.LINE_BYTES + n * inFmap;
            Geometry g = loadInput(mem, src, inLayout, c, h, w, k, layer.padValue(), dw);
            ensureActivated(oc * h * w);
            compute(g, layer, data, prep, rules);
            // pool each channel into the dense output
            for (int o = 0; o < oc; o++) {
                pool(activated, o * h * w, h, w, pool, rules, output, n * denseOut + o * oh * ow, oh, ow);
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
        /** Weights split into bytes: lo = w & 0xFF, hi = w >>> 8 (null in 8-bit mode). */
        final int[] lo;
        final int[] hi;
        /** Per output channel: (arg_w·Σw >> shr_w) + arg_add·C. */
        final long[] constant;

        Prepared(KpuLayerArgument layer, int[] lo, int[] hi, long[] constant) {
            this.layer = layer;
            this.lo = lo;
            this.hi = hi;
            this.constant = constant;
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
        for (int o = 0; o < oc; o++) {
            long sw = 0;
            for (int i = o * perOut, e = i + perOut; i < e; i++) {
                sw += w[i];
            }
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
        Prepared p = new Prepared(layer, lo, hi, constant);
        data.prepared = p;
        return p;
    }

    // ------------------------------------------------------------------------------------------
    // input

    /**
     * Input planes as ints. 3×3: each channel is a (H+2)×(W+2) plane bordered with pad_value (row
     * stride {@code wp = W+2}); 1×1: dense H×W planes ({@code wp = W}). Accumulators use the same
     * flattened index i = y·wp + x (columns x ≥ W of a 3×3 row are junk and ignored).
     */
    private static final class Geometry {
        final int c;
        final int h;
        final int w;
        final int wp;
        final int plane;
        final int k;

        Geometry(int c, int h, int w, int wp, int plane, int k) {
            this.c = c;
            this.h = h;
            this.w = w;
            this.wp = wp;
            this.plane = plane;
            this.k = k;
        }
    }

    private Geometry loadInput(byte[] mem, int src, KpuRowLayout layout, int c, int h, int w, int k, int padValue,
            boolean dw) {
        int wp = k == 3 ? w + 2 : w;
        int hp = k == 3 ? h + 2 : h;
        int plane = wp * hp + (k == 3 ? 4 : 0); // slack: the last junk columns read 2 past the plane
        long need = (long) plane * c;
        if (planes.length < need) {
            planes = new int[(int) need];
        }
        int[] p = planes;
        int rowBytes = layout.rowLen() * KpuRam.LINE_BYTES;
        for (int ch = 0; ch < c; ch++) {
            int base = ch * plane;
            int chOrigin = src + (ch / layout.groups()) * layout.rowLen() * h * KpuRam.LINE_BYTES
                    + (ch % layout.groups()) * layout.rowPitch();
            if (k == 3) {
                Arrays.fill(p, base, base + plane, padValue);
                for (int y = 0; y < h; y++) {
                    int s = chOrigin + y * rowBytes;
                    int d = base + (y + 1) * wp + 1;
                    for (int x = 0; x < w; x++) {
                        p[d + x] = mem[s + x] & 0xFF;
                    }
                }
            } else {
                for (int y = 0; y < h; y++) {
                    int s = chOrigin + y * rowBytes;
                    int d = base + y * wp;
                    for (int x = 0; x < w; x++) {
                        p[d + x] = mem[s + x] & 0xFF;
                    }
                }
            }
        }
        Geometry g = new Geometry(c, h, w, wp, plane, k);
        if (!dw) {
            computeSumX(g);
        }
        return g;
    }

    /** Σx over all channels and taps, per output position (full conv only). */
    private void computeSumX(Geometry g) {
        int n = g.h * g.wp;
        int total = g.k == 3 ? g.plane : n;
        if (sumX.length < total + n) {
            sumX = new int[total + n];
        }
        int[] s = sumX;
        int[] p = planes;
        // s[n .. n+total): Σ_c plane;  s[0..n): the kxk box sum of it
        Arrays.fill(s, n, n + total, 0);
        for (int ch = 0; ch < g.c; ch++) {
            int base = ch * g.plane;
            for (int i = 0; i < total; i++) {
                s[n + i] += p[base + i];
            }
        }
        if (g.k == 1) {
            System.arraycopy(s, n, s, 0, n);
        } else {
            int wp = g.wp;
            for (int i = 0; i < n; i++) {
                int b = n + i;
                s[i] = s[b] + s[b + 1] + s[b + 2] + s[b + wp] + s[b + wp + 1] + s[b + wp + 2] + s[b + 2 * wp]
                        + s[b + 2 * wp + 1] + s[b + 2 * wp + 2];
            }
        }
    }

    private void ensureActivated(int size) {
        if (activated.length < size) {
            activated = new byte[size];
        }
    }

    // ------------------------------------------------------------------------------------------
    // convolution + BN + activation

    private void compute(Geometry g, KpuLayerArgument layer, KpuConvData data, Prepared prep, KpuRules rules) {
        int oc = layer.outputChannels();
        long macs = (long) g.h * g.w * g.k * g.k * (layer.depthwise() ? oc : (long) oc * g.c);
        Job job = new Job(g, layer, data, prep, rules, planes, sumX, activated);
        if (parallel && macs >= PARALLEL_MIN_MACS && oc >= 2) {
            ForkJoinPool.commonPool().invoke(new Split(job, 0, oc));
        } else {
            job.run(0, oc);
        }
    }

    private static final class Split extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient Job job;
        private final int from;
        private final int to;

        Split(Job job, int from, int to) {
            this.job = job;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            int threads = Math.max(2, ForkJoinPool.getCommonPoolParallelism() + 1);
            int min = Math.max(1, (job.oc + threads - 1) / threads);
            if (to - from <= min) {
                job.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Split(job, from, mid), new Split(job, mid, to));
        }
    }

    /** One layer's convolution work; {@link #run} computes a range of output channels. */
    private static final class Job {
        final Geometry g;
        final boolean dw;
        final int oc;
        final int argX;
        final int shrX;
        final int[] wLo;
        final int[] wHi;
        final long[] constant;
        final int[] bnMul;
        final int[] bnShift;
        final long[] bnAdd;
        final long[] xStart;
        final long[] yMul;
        final int[] shift;
        final long[] bias;
        final boolean beta4;
        final int[] planes;
        final int[] sumX;
        final byte[] out;

        Job(Geometry g, KpuLayerArgument layer, KpuConvData data, Prepared prep, KpuRules rules, int[] planes,
                int[] sumX, byte[] out) {
            this.g = g;
            this.dw = layer.depthwise();
            this.oc = layer.outputChannels();
            this.argX = layer.argX();
            this.shrX = layer.shrX();
            this.wLo = prep.lo;
            this.wHi = prep.hi;
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
            this.planes = planes;
            this.sumX = sumX;
            this.out = out;
        }

        void run(int from, int to) {
            int wp = g.wp;
            int n = g.h * wp;
            int rows = tileRows();
            int tileLen = rows * wp;
            int[] acc = new int[tileLen];
            int[] accHi = wHi == null ? null : new int[tileLen];
            int[] box = dw ? new int[tileLen] : null;
            for (int y0 = 0; y0 < g.h; y0 += rows) {
                int y1 = Math.min(g.h, y0 + rows);
                int i0 = y0 * wp;
                int len = (y1 - y0) * wp;
                for (int o = from; o < to; o++) {
                    if (dw) {
                        depthwise(o, wLo, acc, i0, len);
                        if (accHi != null) {
                            depthwise(o, wHi, accHi, i0, len);
                        }
                        boxSum(o, box, i0, len);
                        finish(o, acc, accHi, box, 0, y0, y1);
                    } else {
                        if (g.k == 1) {
                            conv1x1(o, wLo, acc, i0, len);
                            if (accHi != null) {
                                conv1x1(o, wHi, accHi, i0, len);
                            }
                        } else {
                            conv3x3(o, wLo, acc, i0, len);
                            if (accHi != null) {
                                conv3x3(o, wHi, accHi, i0, len);
                            }
                        }
                        finish(o, acc, accHi, sumX, i0, y0, y1);
                    }
                }
            }
            assert n >= 0;
        }

        /** Output rows per tile so that the input rows a tile reads stay within the cache budget. */
        private int tileRows() {
            int channels = dw ? 1 : g.c;
            long perRow = (long) channels * g.wp;
            int rows = (int) Math.max(1, TILE_BUDGET_INTS / Math.max(1, perRow));
            return Math.min(rows, g.h);
        }

        private void conv1x1(int o, int[] wt, int[] acc, int i0, int len) {
            int[] p = planes;
            int plane = g.plane;
            int c = g.c;
            int wb = o * c;
            Arrays.fill(acc, 0, len, 0);
            int ch = 0;
            for (; ch + 4 <= c; ch += 4) {
                int w0 = wt[wb + ch];
                int w1 = wt[wb + ch + 1];
                int w2 = wt[wb + ch + 2];
                int w3 = wt[wb + ch + 3];
                int b0 = ch * plane + i0;
                int b1 = b0 + plane;
                int b2 = b1 + plane;
                int b3 = b2 + plane;
                for (int i = 0; i < len; i++) {
                    acc[i] += w0 * p[b0 + i] + w1 * p[b1 + i] + w2 * p[b2 + i] + w3 * p[b3 + i];
                }
            }
            for (; ch < c; ch++) {
                int w0 = wt[wb + ch];
                int b0 = ch * plane + i0;
                for (int i = 0; i < len; i++) {
                    acc[i] += w0 * p[b0 + i];
                }
            }
        }

        private void conv3x3(int o, int[] wt, int[] acc, int i0, int len) {
            int[] p = planes;
            int plane = g.plane;
            int wp = g.wp;
            int c = g.c;
            Arrays.fill(acc, 0, len, 0);
            for (int ch = 0; ch < c; ch++) {
                int wb = (o * c + ch) * 9;
                taps3x3(p, ch * plane + i0, wp, wt, wb, acc, len);
            }
        }

        private void depthwise(int o, int[] wt, int[] acc, int i0, int len) {
            Arrays.fill(acc, 0, len, 0);
            if (g.k == 1) {
                int w0 = wt[o];
                int b0 = o * g.plane + i0;
                int[] p = planes;
                for (int i = 0; i < len; i++) {
                    acc[i] = w0 * p[b0 + i];
                }
            } else {
                taps3x3(planes, o * g.plane + i0, g.wp, wt, o * 9, acc, len);
            }
        }

        private static void taps3x3(int[] p, int b, int wp, int[] wt, int wb, int[] acc, int len) {
            int w0 = wt[wb];
            int w1 = wt[wb + 1];
            int w2 = wt[wb + 2];
            int w3 = wt[wb + 3];
            int w4 = wt[wb + 4];
            int w5 = wt[wb + 5];
            int w6 = wt[wb + 6];
            int w7 = wt[wb + 7];
            int w8 = wt[wb + 8];
            int r1 = b + wp;
            int r2 = b + 2 * wp;
            for (int i = 0; i < len; i++) {
                acc[i] += w0 * p[b + i] + w1 * p[b + i + 1] + w2 * p[b + i + 2]
                        + w3 * p[r1 + i] + w4 * p[r1 + i + 1] + w5 * p[r1 + i + 2]
                        + w6 * p[r2 + i] + w7 * p[r2 + i + 1] + w8 * p[r2 + i + 2];
            }
        }

        /** Σx over the k×k window of one channel (depthwise). */
        private void boxSum(int o, int[] box, int i0, int len) {
            int[] p = planes;
            int b = o * g.plane + i0;
            if (g.k == 1) {
                System.arraycopy(p, b, box, 0, len);
                return;
            }
            int wp = g.wp;
            int r1 = b + wp;
            int r2 = b + 2 * wp;
            for (int i = 0; i < len; i++) {
                box[i] = p[b + i] + p[b + i + 1] + p[b + i + 2] + p[r1 + i] + p[r1 + i + 1] + p[r1 + i + 2]
                        + p[r2 + i] + p[r2 + i + 1] + p[r2 + i + 2];
            }
        }

        /**
         * acc → offsets → BN → activation → uint8 for rows y0..y1 of channel o. {@code sx} holds Σx at
         * index (i − i0 + sxBase) for flattened position i.
         */
        private void finish(int o, int[] acc, int[] accHi, int[] sx, int sxBase, int y0, int y1) {
            final int wp = g.wp;
            final int w = g.w;
            final long cst = constant[o];
            final long mul = bnMul[o];
            final int bshift = bnShift[o];
            final long add = bnAdd[o];
            final long ax = argX;
            final int sh = shrX;
            final byte[] dst = out;
            int outBase = o * g.h * w;
            for (int y = y0; y < y1; y++) {
                int t = (y - y0) * wp;
                int d = outBase + y * w;
                for (int x = 0; x < w; x++) {
                    int j = t + x;
                    long a = acc[j];
                    if (accHi != null) {
                        a += (long) accHi[j] << 8;
                    }
                    a += ((ax * sx[sxBase + j]) >> sh) + cst;
                    long bn = ((a * mul) >> bshift) + add;
                    dst[d + x] = (byte) activate(bn);
                }
            }
        }

        private int activate(long bn) {
            int s = 15;
            if (beta4) {
                while (s > 0 && bn <= xStart[s]) {
                    s--;
                }
            } else {
                while (s > 0 && bn < xStart[s]) {
                    s--;
                }
            }
            long t = (bn - xStart[s]) * yMul[s];
            long y = (beta4 ? KpuActivationTable.roundBeta4(t, shift[s]) : KpuActivationTable.roundRc5(t, shift[s]))
                    + bias[s];
            return y < 0 ? 0 : y > 255 ? 255 : (int) y;
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
