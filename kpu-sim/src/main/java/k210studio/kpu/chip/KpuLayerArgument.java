package k210studio.kpu.chip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One KPU layer: the 12 little-endian u64 register words ({@code kpu_layer_argument_t}, kmodel-v3.md
 * §5.4, kmodel-v4.md §7.2.2) with a typed accessor for every bit-field. Immutable; the raw words are
 * kept, so reserved bits survive {@link #fromWords}/{@link #toWords} and {@link #fromBytes}/{@link #toBytes}
 * unchanged. Change fields with {@link #with(KpuField, long)} (returns a copy).
 */
public final class KpuLayerArgument {
    /** Number of register words. */
    public static final int WORDS = 12;
    /** Size in bytes of the register image in a kmodel. */
    public static final int BYTES = 96;

    private final long[] words;

    private KpuLayerArgument(long[] words) {
        this.words = words;
    }

    /** From exactly 12 register words (copied). */
    public static KpuLayerArgument fromWords(long... words) {
        if (words == null || words.length != WORDS) {
            throw new IllegalArgumentException("a KPU layer argument has 12 u64 words, got "
                    + (words == null ? "null" : words.length));
        }
        return new KpuLayerArgument(words.clone());
    }

    /**
     * From 96 little-endian bytes at {@code offset}.
     *
     * @throws IllegalArgumentException when fewer than 96 bytes remain after {@code offset}
     */
    public static KpuLayerArgument fromBytes(byte[] bytes, int offset) {
        if (offset < 0 || bytes.length - offset < BYTES) {
            throw new IllegalArgumentException("a KPU layer argument needs 96 bytes at offset " + offset + ", only "
                    + Math.max(0, bytes.length - offset) + " available");
        }
        long[] w = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = readLong(bytes, offset + 8 * i);
        }
        return new KpuLayerArgument(w);
    }

    /** All-zero registers (a starting point for {@link #with}). */
    public static KpuLayerArgument zero() {
        return new KpuLayerArgument(new long[WORDS]);
    }

    /**
     * Registers for a layer of the given shapes, with every shape-derived field set the way nncase
     * writes it (kmodel-v3.md §5.3–§5.4, kmodel-v4.md §7.2.2): channel counts, sizes (output = pooled
     * input), kernel and pool type, layout fields, dma_burst_size 15, load_para/load_coor/load_act 1,
     * weight chunking (30 KiB per load in 8-bit mode, 60 KiB in 16-bit mode; depthwise one load), DMA
     * sizes. Addresses, pad_value, arg_*, shr_* are 0: set them with {@link #with}.
     */
    public static KpuLayerArgument forShapes(int inWidth, int inHeight, int inChannels, int outChannels,
            int kernelSize, boolean depthwise, KpuPoolType pool, boolean eightBit) {
        if (kernelSize != 1 && kernelSize != 3) {
            throw new IllegalArgumentException("KPU kernels are 1x1 or 3x3, not " + kernelSize);
        }
        if (depthwise && inChannels != outChannels) {
            throw new IllegalArgumentException("a depthwise layer has as many outputs as inputs");
        }
        int outW = pool.outputSize(inWidth);
        int outH = pool.outputSize(inHeight);
        if (outW < 1 || outH < 1) {
            throw new IllegalArgumentException(pool + " of " + inWidth + "x" + inHeight + " leaves no output");
        }
        KpuRowLayout in = KpuRowLayout.forWidth(inWidth);
        KpuRowLayout out = KpuRowLayout.forWidth(outW);
        int bytesPerWeight = eightBit ? 1 : 2;
        int perLoad;
        int loads;
        int paraSize;
        if (depthwise) {
            perLoad = outChannels;
            loads = 1;
            paraSize = outChannels * kernelSize * kernelSize * bytesPerWeight;
        } else {
            int oneChannel = kernelSize * kernelSize * inChannels * bytesPerWeight;
            int limit = (eightBit ? 30 : 60) * 1024;
            perLoad = Math.max(1, Math.min(outChannels, limit / oneChannel));
            loads = (outChannels + perLoad - 1) / perLoad;
            paraSize = perLoad * oneChannel;
        }
        long plane = (long) outW * outH;
        return zero()
                .with(KpuField.DEPTH_WISE_LAYER, depthwise ? 1 : 0)
                .with(KpuField.I_CH_NUM, inChannels - 1)
                .with(KpuField.O_CH_NUM, outChannels - 1)
                .with(KpuField.O_CH_NUM_COEF, perLoad - 1)
                .with(KpuField.I_ROW_WID, inWidth - 1)
                .with(KpuField.I_COL_HIGH, inHeight - 1)
                .with(KpuField.O_ROW_WID, outW - 1)
                .with(KpuField.O_COL_HIGH, outH - 1)
                .with(KpuField.KERNEL_TYPE, kernelSize == 3 ? 1 : 0)
                .with(KpuField.POOL_TYPE, pool.code())
                .with(KpuField.LOAD_PARA, 1)
                .with(KpuField.DMA_BURST_SIZE, 15)
                .with(KpuField.LOAD_COOR, 1)
                .with(KpuField.LOAD_TIME, loads - 1)
                .with(KpuField.PARA_SIZE, paraSize)
                .with(KpuField.CHANNEL_SWITCH_ADDR, (long) in.rowLen() * inHeight)
                .with(KpuField.ROW_SWITCH_ADDR, in.rowLen())
                .with(KpuField.COEF_GROUP, in.groups())
                .with(KpuField.LOAD_ACT, 1)
                .with(KpuField.WB_CHANNEL_SWITCH_ADDR, (long) out.rowLen() * outH)
                .with(KpuField.WB_ROW_SWITCH_ADDR, out.rowLen())
                .with(KpuField.WB_GROUP, out.groups())
                .with(KpuField.CHANNEL_BYTE_NUM, plane - 1)
                .with(KpuField.DMA_TOTAL_BYTE, plane * outChannels - 1);
    }

    /** A copy of the 12 words. */
    public long[] toWords() {
        return words.clone();
    }

    /** Register word {@code index} (0..11). */
    public long word(int index) {
        return words[index];
    }

    /** The 96 little-endian bytes. */
    public byte[] toBytes() {
        byte[] b = new byte[BYTES];
        writeTo(b, 0);
        return b;
    }

    /** Writes the 96 little-endian bytes at {@code offset}. */
    public void writeTo(byte[] dst, int offset) {
        if (offset < 0 || dst.length - offset < BYTES) {
            throw new IllegalArgumentException("96 bytes do not fit at offset " + offset + " of " + dst.length);
        }
        for (int i = 0; i < WORDS; i++) {
            long v = words[i];
            for (int k = 0; k < 8; k++) {
                dst[offset + 8 * i + k] = (byte) (v >>> (8 * k));
            }
        }
    }

    /** The value of one field (sign-extended for arg_x, arg_w, arg_add). */
    public long get(KpuField field) {
        return field.extract(words[field.word()]);
    }

    /** A copy with one field replaced; all other bits (reserved ones included) unchanged. */
    public KpuLayerArgument with(KpuField field, long value) {
        long[] w = words.clone();
        w[field.word()] = field.insert(w[field.word()], value);
        return new KpuLayerArgument(w);
    }

    /** A copy with one whole word replaced. */
    public KpuLayerArgument withWord(int index, long value) {
        long[] w = words.clone();
        w[index] = value;
        return new KpuLayerArgument(w);
    }

    /** The bits of every word that no field covers and that are set (reserved bits), per word. */
    public long[] reservedBits() {
        long[] r = words.clone();
        for (KpuField f : KpuField.values()) {
            r[f.word()] &= ~f.mask();
        }
        return r;
    }

    // ---- word 0 ---------------------------------------------------------------------------------

    public boolean intEn() {
        return get(KpuField.INT_EN) != 0;
    }

    public boolean ramFlag() {
        return get(KpuField.RAM_FLAG) != 0;
    }

    public boolean fullAdd() {
        return get(KpuField.FULL_ADD) != 0;
    }

    public boolean depthwise() {
        return get(KpuField.DEPTH_WISE_LAYER) != 0;
    }

    // ---- word 1 ---------------------------------------------------------------------------------

    /** Input feature map: KPU RAM line (byte address / 64). */
    public int imageSrcAddr() {
        return (int) get(KpuField.IMAGE_SRC_ADDR);
    }

    /** Output feature map: KPU RAM line (byte address / 64). */
    public int imageDstAddr() {
        return (int) get(KpuField.IMAGE_DST_ADDR);
    }

    // ---- word 2 ---------------------------------------------------------------------------------

    /** Raw i_ch_num = input channels − 1. */
    public int iChNum() {
        return (int) get(KpuField.I_CH_NUM);
    }

    /** Raw o_ch_num = output channels − 1. */
    public int oChNum() {
        return (int) get(KpuField.O_CH_NUM);
    }

    /** Raw o_ch_num_coef = output channels per weight load − 1. */
    public int oChNumCoef() {
        return (int) get(KpuField.O_CH_NUM_COEF);
    }

    public int inputChannels() {
        return iChNum() + 1;
    }

    public int outputChannels() {
        return oChNum() + 1;
    }

    // ---- word 3 ---------------------------------------------------------------------------------

    /** Raw i_row_wid = input width − 1. */
    public int iRowWid() {
        return (int) get(KpuField.I_ROW_WID);
    }

    /** Raw i_col_high = input height − 1. */
    public int iColHigh() {
        return (int) get(KpuField.I_COL_HIGH);
    }

    /** Raw o_row_wid = output width (after pooling) − 1. */
    public int oRowWid() {
        return (int) get(KpuField.O_ROW_WID);
    }

    /** Raw o_col_high = output height (after pooling) − 1. */
    public int oColHigh() {
        return (int) get(KpuField.O_COL_HIGH);
    }

    public int inputWidth() {
        return iRowWid() + 1;
    }

    public int inputHeight() {
        return iColHigh() + 1;
    }

    public int outputWidth() {
        return oRowWid() + 1;
    }

    public int outputHeight() {
        return oColHigh() + 1;
    }

    // ---- word 4 ---------------------------------------------------------------------------------

    /** Raw kernel_type: 0 = 1×1, 1 = 3×3 (other codes have no known meaning). */
    public int kernelType() {
        return (int) get(KpuField.KERNEL_TYPE);
    }

    /** Kernel size 1 or 3, or −1 for a kernel_type with no known meaning. */
    public int kernelSize() {
        int t = kernelType();
        return t == 0 ? 1 : t == 1 ? 3 : -1;
    }

    /** Raw pad_type: 0 = fill with pad_value (the only mode nncase writes). */
    public int padType() {
        return (int) get(KpuField.PAD_TYPE);
    }

    /** Raw pool_type code 0..15 (0..9 defined, see {@link KpuPoolType}). */
    public int poolTypeCode() {
        return (int) get(KpuField.POOL_TYPE);
    }

    /** The pool type, or null for a code with no known meaning (10..15). */
    public KpuPoolType poolType() {
        return KpuPoolType.fromCodeOrNull(poolTypeCode());
    }

    public boolean firstStride() {
        return get(KpuField.FIRST_STRIDE) != 0;
    }

    public boolean bypassConv() {
        return get(KpuField.BYPASS_CONV) != 0;
    }

    public boolean loadPara() {
        return get(KpuField.LOAD_PARA) != 0;
    }

    public int dmaBurstSize() {
        return (int) get(KpuField.DMA_BURST_SIZE);
    }

    /** The uint8 read for out-of-image taps of a 3×3 kernel. */
    public int padValue() {
        return (int) get(KpuField.PAD_VALUE);
    }

    /** BN table address (0 in V3 files; the gap before the BN table in V4 files). */
    public long bwsxBaseAddr() {
        return get(KpuField.BWSX_BASE_ADDR);
    }

    // ---- word 5 ---------------------------------------------------------------------------------

    public boolean loadCoor() {
        return get(KpuField.LOAD_COOR) != 0;
    }

    /** Raw load_time = number of weight loads − 1. */
    public int loadTime() {
        return (int) get(KpuField.LOAD_TIME);
    }

    /** Bytes per weight load. */
    public int paraSize() {
        return (int) get(KpuField.PARA_SIZE);
    }

    /** Weight address (0 in V3 files; the gap before the weights in V4 files). */
    public long paraStartAddr() {
        return get(KpuField.PARA_START_ADDR);
    }

    // ---- word 6 ---------------------------------------------------------------------------------

    public int coefColumnOffset() {
        return (int) get(KpuField.COEF_COLUMN_OFFSET);
    }

    public int coefRowOffset() {
        return (int) get(KpuField.COEF_ROW_OFFSET);
    }

    // ---- word 7 ---------------------------------------------------------------------------------

    /** KPU RAM lines per input channel block (row_len × H_in). */
    public int channelSwitchAddr() {
        return (int) get(KpuField.CHANNEL_SWITCH_ADDR);
    }

    /** KPU RAM lines per input row (row_len). */
    public int rowSwitchAddr() {
        return (int) get(KpuField.ROW_SWITCH_ADDR);
    }

    public int coefSize() {
        return (int) get(KpuField.COEF_SIZE);
    }

    /** Input channels packed per 64-byte line (1, 2 or 4). */
    public int coefGroup() {
        return (int) get(KpuField.COEF_GROUP);
    }

    public boolean loadAct() {
        return get(KpuField.LOAD_ACT) != 0;
    }

    /** Activation table address (0 in V3 files; the gap before the table in V4 files). */
    public long activeAddr() {
        return get(KpuField.ACTIVE_ADDR);
    }

    // ---- word 8 ---------------------------------------------------------------------------------

    public int wbChannelSwitchAddr() {
        return (int) get(KpuField.WB_CHANNEL_SWITCH_ADDR);
    }

    public int wbRowSwitchAddr() {
        return (int) get(KpuField.WB_ROW_SWITCH_ADDR);
    }

    public int wbGroup() {
        return (int) get(KpuField.WB_GROUP);
    }

    // ---- words 9, 10 ----------------------------------------------------------------------------

    public int shrW() {
        return (int) get(KpuField.SHR_W);
    }

    public int shrX() {
        return (int) get(KpuField.SHR_X);
    }

    /** Signed 24-bit multiplier of Σw (carries the input offset). */
    public int argW() {
        return (int) get(KpuField.ARG_W);
    }

    /** Signed 24-bit multiplier of Σx (carries the weight offset). */
    public int argX() {
        return (int) get(KpuField.ARG_X);
    }

    /** Signed 40-bit constant added once per input channel (once for depthwise). */
    public long argAdd() {
        return get(KpuField.ARG_ADD);
    }

    // ---- word 11 --------------------------------------------------------------------------------

    public boolean sendDataOut() {
        return get(KpuField.SEND_DATA_OUT) != 0;
    }

    public int channelByteNum() {
        return (int) get(KpuField.CHANNEL_BYTE_NUM);
    }

    public long dmaTotalByte() {
        return get(KpuField.DMA_TOTAL_BYTE);
    }

    // ---- derived --------------------------------------------------------------------------------

    /** Row layout of the input map (from its width). */
    public KpuRowLayout inputLayout() {
        return KpuRowLayout.forWidth(inputWidth());
    }

    /** Row layout of the output map (from its width after pooling). */
    public KpuRowLayout outputLayout() {
        return KpuRowLayout.forWidth(outputWidth());
    }

    /** KPU RAM lines of the input map (one batch). */
    public int inputLines() {
        return inputLayout().lines(inputHeight(), inputChannels());
    }

    /** KPU RAM lines of the output map (one batch). */
    public int outputLines() {
        return outputLayout().lines(outputHeight(), outputChannels());
    }

    /** Number of weights the registers call for: C·k² (depthwise) or C_in·C_out·k². */
    public long weightCount() {
        long k2 = (long) kernelSize() * kernelSize();
        return depthwise() ? (long) outputChannels() * k2 : (long) inputChannels() * outputChannels() * k2;
    }

    /** Bytes of the dense (CHW, no padding) output: W_out·H_out·C_out. */
    public int denseOutputBytes() {
        return outputWidth() * outputHeight() * outputChannels();
    }

    /**
     * Every inconsistency between the fields, as readable sentences (empty when the layer is what
     * nncase would write): kernel and pool codes, layout fields vs widths, output size vs pooling,
     * depthwise channel counts, DMA sizes. {@link Kpu#runLayer} refuses the ones that change what it
     * computes; the others (DMA sizes, chunking) are informational.
     */
    public List<String> consistencyProblems() {
        List<String> p = new ArrayList<>();
        if (kernelSize() < 0) {
            p.add("kernel_type " + kernelType() + " has no known meaning (0 = 1x1, 1 = 3x3)");
        }
        KpuPoolType pool = poolType();
        if (pool == null) {
            p.add("pool_type " + poolTypeCode() + " has no known meaning (0..9)");
        } else {
            int ew = pool.outputSize(inputWidth());
            int eh = pool.outputSize(inputHeight());
            if (ew != outputWidth() || eh != outputHeight()) {
                p.add("output size " + outputWidth() + "x" + outputHeight() + " (o_row_wid+1 x o_col_high+1) does not match "
                        + pool + " of the " + inputWidth() + "x" + inputHeight() + " input, which gives " + ew + "x" + eh);
            }
        }
        if (depthwise() && inputChannels() != outputChannels()) {
            p.add("depthwise layer with i_ch_num+1 = " + inputChannels() + " but o_ch_num+1 = " + outputChannels());
        }
        KpuRowLayout in = inputLayout();
        if (channelSwitchAddr() != in.rowLen() * inputHeight() || rowSwitchAddr() != in.rowLen()
                || coefGroup() != in.groups()) {
            p.add("input layout fields channel_switch_addr/row_switch_addr/coef_group = " + channelSwitchAddr() + "/"
                    + rowSwitchAddr() + "/" + coefGroup() + " but width " + inputWidth() + " needs "
                    + in.rowLen() * inputHeight() + "/" + in.rowLen() + "/" + in.groups());
        }
        KpuRowLayout out = outputLayout();
        if (wbChannelSwitchAddr() != out.rowLen() * outputHeight() || wbRowSwitchAddr() != out.rowLen()
                || wbGroup() != out.groups()) {
            p.add("output layout fields wb_channel_switch_addr/wb_row_switch_addr/wb_group = " + wbChannelSwitchAddr()
                    + "/" + wbRowSwitchAddr() + "/" + wbGroup() + " but width " + outputWidth() + " needs "
                    + out.rowLen() * outputHeight() + "/" + out.rowLen() + "/" + out.groups());
        }
        long plane = (long) outputWidth() * outputHeight();
        if (channelByteNum() != plane - 1) {
            p.add("channel_byte_num = " + channelByteNum() + " but W_out*H_out-1 = " + (plane - 1));
        }
        if (dmaTotalByte() != plane * outputChannels() - 1) {
            p.add("dma_total_byte = " + dmaTotalByte() + " but W_out*H_out*C_out-1 = " + (plane * outputChannels() - 1));
        }
        if (firstStride()) {
            p.add("first_stride = 1 (semantics unknown, never written by nncase)");
        }
        if (bypassConv()) {
            p.add("bypass_conv = 1 (semantics unknown, never written by nncase)");
        }
        if (fullAdd()) {
            p.add("full_add = 1 (semantics unknown, never written by nncase)");
        }
        if (padType() != 0) {
            p.add("pad_type = " + padType() + " (only 0 = fill with pad_value is known)");
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KpuLayerArgument && Arrays.equals(words, ((KpuLayerArgument) o).words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "KpuLayerArgument[" + inputWidth() + "x" + inputHeight() + "x" + inputChannels() + " -> " + outputWidth()
                + "x" + outputHeight() + "x" + outputChannels() + ", k" + kernelSize() + (depthwise() ? " dw" : "")
                + ", pool " + poolTypeCode() + ", src " + imageSrcAddr() + ", dst " + imageDstAddr() + "]";
    }

    static long readLong(byte[] b, int off) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (b[off + k] & 0xFF);
        }
        return v;
    }
}
