package k210studio.kpu.kmodel.v4.body;

/**
 * kpu_conv2d (0x2002, kmodel-v4.md §7.2): an optional main-memory copy of the output, the batch
 * count, the 12 KPU register images, then gap / BN table / gap / 144-byte activation table / gap /
 * weights. In the file the three 32-bit "address" fields of the registers hold the gap lengths
 * (bytes to skip before each table), so both the 8/256/128 (alpha) and 256/256/256 (beta)
 * alignments round-trip unchanged.
 */
public record KpuConv2dBody(MemoryRange mainMemOutput, int batches, int reserved0, Longs layer, Longs bnTable,
        Bytes activationTable, Bytes weights) implements V4Body {

    public static final int FIXED_BYTES = 120;
    public static final int REGISTER_COUNT = 12;
    public static final int ACTIVATION_TABLE_BYTES = 144;

    /** Register indices inside {@link #layer()}. */
    public static final int REG_INTERRUPT_ENABLE = 0;
    public static final int REG_IMAGE_ADDR = 1;
    public static final int REG_IMAGE_CHANNEL_NUM = 2;
    public static final int REG_IMAGE_SIZE = 3;
    public static final int REG_KERNEL_POOL_TYPE_CFG = 4;
    public static final int REG_KERNEL_LOAD_CFG = 5;
    public static final int REG_KERNEL_OFFSET = 6;
    public static final int REG_KERNEL_CALC_TYPE_CFG = 7;
    public static final int REG_WRITE_BACK_CFG = 8;
    public static final int REG_CONV_VALUE = 9;
    public static final int REG_CONV_VALUE2 = 10;
    public static final int REG_DMA_PARAMETER = 11;

    public KpuConv2dBody {
        if (layer.length() != REGISTER_COUNT) {
            throw new IllegalArgumentException("kpu_conv2d needs 12 register words, got " + layer.length());
        }
        if (activationTable.length() != ACTIVATION_TABLE_BYTES) {
            throw new IllegalArgumentException("kpu_conv2d activation table is 144 bytes, got " + activationTable.length());
        }
    }

    public long register(int index) {
        return layer.get(index);
    }

    /** Bytes of zero padding before the BN table (upper 32 bits of kernel_pool_type_cfg). */
    public long gapBn() {
        return layer.get(REG_KERNEL_POOL_TYPE_CFG) >>> 32;
    }

    /** Bytes of zero padding before the activation table (upper 32 bits of kernel_calc_type_cfg). */
    public long gapActivation() {
        return layer.get(REG_KERNEL_CALC_TYPE_CFG) >>> 32;
    }

    /** Bytes of zero padding before the weights (upper 32 bits of kernel_load_cfg). */
    public long gapWeights() {
        return layer.get(REG_KERNEL_LOAD_CFG) >>> 32;
    }

    public boolean depthwise() {
        return ((layer.get(REG_INTERRUPT_ENABLE) >>> 3) & 1) != 0;
    }

    public int inputChannels() {
        return (int) (layer.get(REG_IMAGE_CHANNEL_NUM) & 0x3FF) + 1;
    }

    public int outputChannels() {
        return outputChannels(layer);
    }

    /** Output channels of a register image (image_channel_num.o_ch_num + 1): the BN table's length. */
    public static int outputChannels(Longs layer) {
        return (int) ((layer.get(REG_IMAGE_CHANNEL_NUM) >>> 32) & 0x3FF) + 1;
    }

    /** Kernel size 3 when kernel_type is 1, otherwise 1. */
    public int kernelSize() {
        return (layer.get(REG_KERNEL_POOL_TYPE_CFG) & 0x7) == 1 ? 3 : 1;
    }

    /** Weight bytes the registers call for: oc*f*f (depthwise) or ic*oc*f*f. */
    public long expectedWeightBytes() {
        return expectedWeightBytes(layer);
    }

    /** Weight bytes a register image calls for: oc*f*f (depthwise) or ic*oc*f*f. */
    public static long expectedWeightBytes(Longs layer) {
        long regs0 = layer.get(REG_INTERRUPT_ENABLE);
        long channels = layer.get(REG_IMAGE_CHANNEL_NUM);
        int f = (layer.get(REG_KERNEL_POOL_TYPE_CFG) & 0x7) == 1 ? 3 : 1;
        long ic = (channels & 0x3FF) + 1;
        long oc = outputChannels(layer);
        boolean depthwise = ((regs0 >>> 3) & 1) != 0;
        return depthwise ? oc * f * f : ic * oc * f * f;
    }

    /** True when the conv output is also copied densely to main memory. */
    public boolean hasMainMemOutput() {
        return mainMemOutput.size() != 0;
    }

    /**
     * A copy of this body whose three gap fields are set so that, with the body starting at
     * {@code bodyFileOffset}, the BN table, activation table and weights start on multiples of
     * {@code alignment} in the file (256 for ncc beta1..beta4; §7.2.4, §15 item 5).
     */
    public KpuConv2dBody withAlignedGaps(long bodyFileOffset, int alignment) {
        long[] regs = layer.toArray();
        long pos = bodyFileOffset + FIXED_BYTES;
        long gBn = pad(pos, alignment);
        pos += gBn + bnTable.byteSize();
        long gAct = pad(pos, alignment);
        pos += gAct + ACTIVATION_TABLE_BYTES;
        long gW = pad(pos, alignment);
        regs[REG_KERNEL_POOL_TYPE_CFG] = (regs[REG_KERNEL_POOL_TYPE_CFG] & 0xFFFF_FFFFL) | (gBn << 32);
        regs[REG_KERNEL_CALC_TYPE_CFG] = (regs[REG_KERNEL_CALC_TYPE_CFG] & 0xFFFF_FFFFL) | (gAct << 32);
        regs[REG_KERNEL_LOAD_CFG] = (regs[REG_KERNEL_LOAD_CFG] & 0xFFFF_FFFFL) | (gW << 32);
        return new KpuConv2dBody(mainMemOutput, batches, reserved0, Longs.of(regs), bnTable, activationTable, weights);
    }

    private static long pad(long pos, int alignment) {
        long r = pos % alignment;
        return r == 0 ? 0 : alignment - r;
    }

    @Override
    public V4Opcode opcode() {
        return V4Opcode.KPU_CONV2D;
    }
}
