package k210studio.kpu.chip;

import java.util.concurrent.ConcurrentHashMap;

/** Per-layer precomputed weight forms (dot-product stage inputs), cached in {@link KpuConvData#prepared}. */
final class KpuPreparedWeights {
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
    /** Weight panels of the vector GEMM by width (low byte, high byte), built on first use. */
    private final ConcurrentHashMap<Integer, float[]> panels = new ConcurrentHashMap<>();
    /** The closed-form activations of the vector kernel by rule set (true: BETA4), built on first use. */
    private final ConcurrentHashMap<Boolean, KpuClosedFormActivation> closedForms = new ConcurrentHashMap<>();

    private KpuPreparedWeights(KpuLayerArgument layer, int[] lo, int[] hi, long[] constant, long[] sumW) {
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

    /**
     * The weights (low byte, or high byte when {@code high}) as a {@link KpuVectorGemm} panel of width b
     * over the output channels, cached.
     */
    float[] weightPanel(boolean high, int b) {
        int oc = layer.outputChannels();
        int k2 = layer.kernelSize() * layer.kernelSize();
        int kTotal = layer.depthwise() ? k2 : k2 * layer.inputChannels();
        return panels.computeIfAbsent(high ? -b : b, key -> KpuVectorGemm.packWeights(high ? hi : lo, oc, kTotal, b));
    }

    /** The closed form of BN + activation for the analysis p (same layer, same tables), cached per rule set. */
    KpuClosedFormActivation closedForm(KpuBnActivation p, int padTo) {
        int oc = layer.outputChannels();
        return closedForms.computeIfAbsent(p.beta4, key -> new KpuClosedFormActivation(p, hi == null, oc, padTo));
    }

    /** The prepared forms of a layer's weights (computed once, then cached in the tables). */
    static KpuPreparedWeights of(KpuLayerArgument layer, KpuConvData data) {
        Object cached = data.prepared;
        if (cached instanceof KpuPreparedWeights && ((KpuPreparedWeights) cached).layer.equals(layer)) {
            return (KpuPreparedWeights) cached;
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
        KpuPreparedWeights p = new KpuPreparedWeights(layer, lo, hi, constant, sumW);
        data.prepared = p;
        return p;
    }
}
