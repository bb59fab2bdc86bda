package k210studio.kpu.chip;

/**
 * What the KPU fetches from main memory for one layer: the weights (u8, or u16 in 16-bit mode), the
 * batch-norm table (one u64 per output channel) and the activation table (18 u64). Build it once per
 * layer when a model is loaded and reuse it for every run: {@link Kpu} caches precomputed forms
 * (weight sums, re-ordered weights) inside it.
 *
 * <ul>
 * <li>kmodel V3 K210_CONV: {@link #fromModelBytes} with the body's weights/bn/act file offsets and the
 * header's 8-bit flag (kmodel-v3.md §5.1–§5.6);</li>
 * <li>kmodel V4 kpu_conv2d: {@link #eightBit(byte[], long[], KpuActivationTable)} with the body's
 * weights, BN words and 144-byte activation table ({@link KpuActivationTable#fromBytes}); V4 is always
 * 8-bit (kmodel-v4.md §7.2).</li>
 * </ul>
 * Weight order: [out][in][ky][kx] (depthwise [ch][ky][kx]).
 */
public final class KpuConvData {
    private final boolean eightBit;
    /** Weights as unsigned values (0..255 or 0..65535). */
    final int[] weights;
    private final long[] bnWords;
    final KpuBatchNorm[] bn;
    final int[] bnMul;
    final int[] bnShift;
    final long[] bnAdd;
    private final KpuActivationTable activation;
    /** Kernel-specific precomputed forms, owned by {@link Kpu}. */
    volatile Object prepared;

    private KpuConvData(boolean eightBit, int[] weights, long[] bnWords, KpuActivationTable activation) {
        this.eightBit = eightBit;
        this.weights = weights;
        this.bnWords = bnWords.clone();
        this.bn = new KpuBatchNorm[bnWords.length];
        this.bnMul = new int[bnWords.length];
        this.bnShift = new int[bnWords.length];
        this.bnAdd = new long[bnWords.length];
        for (int i = 0; i < bnWords.length; i++) {
            bn[i] = KpuBatchNorm.fromWord(bnWords[i]);
            bnMul[i] = bn[i].mul();
            bnShift[i] = bn[i].shift();
            bnAdd[i] = bn[i].add();
        }
        this.activation = activation;
    }

    /** 8-bit weights (eight_bit_mode = 1). */
    public static KpuConvData eightBit(byte[] weights, long[] bnWords, KpuActivationTable activation) {
        int[] w = new int[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i] & 0xFF;
        }
        return new KpuConvData(true, w, bnWords, activation);
    }

    /** 8-bit weights with the activation table as its 18 words. */
    public static KpuConvData eightBit(byte[] weights, long[] bnWords, long[] activationWords) {
        return eightBit(weights, bnWords, KpuActivationTable.fromWords(activationWords));
    }

    /** 16-bit weights (eight_bit_mode = 0); each short is read as unsigned 0..65535. */
    public static KpuConvData sixteenBit(short[] weights, long[] bnWords, KpuActivationTable activation) {
        int[] w = new int[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i] & 0xFFFF;
        }
        return new KpuConvData(false, w, bnWords, activation);
    }

    /** 16-bit weights with the activation table as its 18 words. */
    public static KpuConvData sixteenBit(short[] weights, long[] bnWords, long[] activationWords) {
        return sixteenBit(weights, bnWords, KpuActivationTable.fromWords(activationWords));
    }

    /**
     * Reads the tables of a layer from a model image (kmodel V3 K210_CONV: absolute file offsets of
     * weights, BN table and activation table; sizes come from the registers). Weights are u8 when
     * {@code eightBit}, little-endian u16 otherwise.
     *
     * @throws KpuException when the registers name an unknown kernel or a table runs past the end of
     *                      {@code model}
     */
    public static KpuConvData fromModelBytes(byte[] model, KpuLayerArgument layer, boolean eightBit, long weightsOffset,
            long bnOffset, long actOffset) throws KpuException {
        if (layer.kernelSize() < 0) {
            throw new KpuException("kernel_type " + layer.kernelType()
                    + " has no known meaning (0 = 1x1, 1 = 3x3); the layer cannot be run");
        }
        long count = layer.weightCount();
        long wBytes = count * (eightBit ? 1 : 2);
        checkRange(model, weightsOffset, wBytes, "weights (" + count + " x " + (eightBit ? "u8" : "u16") + ")");
        int oc = layer.outputChannels();
        checkRange(model, bnOffset, 8L * oc, "batch-norm table (" + oc + " x u64)");
        checkRange(model, actOffset, KpuActivationTable.BYTES, "activation table (144 bytes)");
        int[] w = new int[(int) count];
        int p = (int) weightsOffset;
        if (eightBit) {
            for (int i = 0; i < w.length; i++) {
                w[i] = model[p + i] & 0xFF;
            }
        } else {
            for (int i = 0; i < w.length; i++) {
                w[i] = (model[p + 2 * i] & 0xFF) | (model[p + 2 * i + 1] & 0xFF) << 8;
            }
        }
        long[] bnw = new long[oc];
        for (int i = 0; i < oc; i++) {
            bnw[i] = KpuLayerArgument.readLong(model, (int) bnOffset + 8 * i);
        }
        return new KpuConvData(eightBit, w, bnw, KpuActivationTable.fromBytes(model, (int) actOffset));
    }

    private static void checkRange(byte[] model, long offset, long length, String what) throws KpuException {
        if (offset < 0 || offset + length > model.length) {
            throw new KpuException(what + " at offset 0x" + Long.toHexString(offset) + " (" + offset + ") needs "
                    + length + " bytes but the model has " + model.length + "; the file is truncated or the offset is corrupt");
        }
    }

    /** True for 8-bit weights, false for 16-bit. */
    public boolean isEightBit() {
        return eightBit;
    }

    public int weightCount() {
        return weights.length;
    }

    /** Weight {@code i} as an unsigned value. */
    public int weight(int i) {
        return weights[i];
    }

    /** Number of batch-norm entries. */
    public int bnCount() {
        return bn.length;
    }

    /** A copy of the raw batch-norm words. */
    public long[] bnWords() {
        return bnWords.clone();
    }

    /** Batch-norm entry of output channel {@code o}. */
    public KpuBatchNorm bn(int o) {
        return bn[o];
    }

    public KpuActivationTable activation() {
        return activation;
    }
}
