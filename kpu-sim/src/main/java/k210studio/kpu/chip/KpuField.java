package k210studio.kpu.chip;

/**
 * Every bit-field of the 12 KPU layer-argument words ({@code kpu_layer_argument_t}), kmodel-v3.md
 * §5.4 / kmodel-v4.md §7.2.2: the word it lives in, its lowest bit, its width and whether it is a
 * signed (two's complement) value. Names follow the SDK's {@code kpu.h} spelling (including its
 * {@code interrupt_enabe} typo for the word). The gaps between fields are reserved bits; a
 * {@link KpuLayerArgument} keeps them as they were read.
 */
public enum KpuField {
    // word 0: interrupt_enabe
    INT_EN(0, 0, 1),
    RAM_FLAG(0, 1, 1),
    FULL_ADD(0, 2, 1),
    DEPTH_WISE_LAYER(0, 3, 1),
    // word 1: image_addr
    IMAGE_SRC_ADDR(1, 0, 15),
    IMAGE_DST_ADDR(1, 32, 15),
    // word 2: image_channel_num
    I_CH_NUM(2, 0, 10),
    O_CH_NUM(2, 32, 10),
    O_CH_NUM_COEF(2, 48, 10),
    // word 3: image_size
    I_ROW_WID(3, 0, 10),
    I_COL_HIGH(3, 10, 9),
    O_ROW_WID(3, 32, 10),
    O_COL_HIGH(3, 42, 9),
    // word 4: kernel_pool_type_cfg
    KERNEL_TYPE(4, 0, 3),
    PAD_TYPE(4, 3, 1),
    POOL_TYPE(4, 4, 4),
    FIRST_STRIDE(4, 8, 1),
    BYPASS_CONV(4, 9, 1),
    LOAD_PARA(4, 10, 1),
    DMA_BURST_SIZE(4, 16, 8),
    PAD_VALUE(4, 24, 8),
    BWSX_BASE_ADDR(4, 32, 32),
    // word 5: kernel_load_cfg
    LOAD_COOR(5, 0, 1),
    LOAD_TIME(5, 1, 6),
    PARA_SIZE(5, 15, 17),
    PARA_START_ADDR(5, 32, 32),
    // word 6: kernel_offset
    COEF_COLUMN_OFFSET(6, 0, 4),
    COEF_ROW_OFFSET(6, 4, 12),
    // word 7: kernel_calc_type_cfg
    CHANNEL_SWITCH_ADDR(7, 0, 15),
    ROW_SWITCH_ADDR(7, 16, 4),
    COEF_SIZE(7, 20, 8),
    COEF_GROUP(7, 28, 3),
    LOAD_ACT(7, 31, 1),
    ACTIVE_ADDR(7, 32, 32),
    // word 8: write_back_cfg
    WB_CHANNEL_SWITCH_ADDR(8, 0, 15),
    WB_ROW_SWITCH_ADDR(8, 16, 4),
    WB_GROUP(8, 20, 3),
    // word 9: conv_value
    SHR_W(9, 0, 4),
    SHR_X(9, 4, 4),
    ARG_W(9, 8, 24, true),
    ARG_X(9, 32, 24, true),
    // word 10: conv_value2
    ARG_ADD(10, 0, 40, true),
    // word 11: dma_parameter
    SEND_DATA_OUT(11, 0, 1),
    CHANNEL_BYTE_NUM(11, 16, 16),
    DMA_TOTAL_BYTE(11, 32, 32);

    /** The SDK names of the 12 words, in FIFO order. */
    public static final String[] WORD_NAMES = {"interrupt_enabe", "image_addr", "image_channel_num", "image_size",
            "kernel_pool_type_cfg", "kernel_load_cfg", "kernel_offset", "kernel_calc_type_cfg", "write_back_cfg",
            "conv_value", "conv_value2", "dma_parameter"};

    private final int word;
    private final int shift;
    private final int width;
    private final boolean signed;

    KpuField(int word, int shift, int width) {
        this(word, shift, width, false);
    }

    KpuField(int word, int shift, int width, boolean signed) {
        this.word = word;
        this.shift = shift;
        this.width = width;
        this.signed = signed;
    }

    /** Index 0..11 of the register word holding this field. */
    public int word() {
        return word;
    }

    /** Lowest bit of the field inside its word. */
    public int shift() {
        return shift;
    }

    /** Width in bits. */
    public int width() {
        return width;
    }

    /** True for two's-complement fields (arg_x, arg_w, arg_add). */
    public boolean signed() {
        return signed;
    }

    /** The field's bits inside its word. */
    public long mask() {
        return (width == 64 ? -1L : (1L << width) - 1) << shift;
    }

    /** The lowest value the field can hold. */
    public long minValue() {
        return signed ? -(1L << (width - 1)) : 0;
    }

    /** The highest value the field can hold. */
    public long maxValue() {
        return signed ? (1L << (width - 1)) - 1 : (1L << width) - 1;
    }

    /** The SDK spelling, e.g. {@code image_src_addr}. */
    public String sdkName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Extracts this field from its register word (sign-extended for signed fields). */
    public long extract(long wordValue) {
        long raw = (wordValue >>> shift) & ((1L << width) - 1);
        if (signed) {
            return (raw << (64 - width)) >> (64 - width);
        }
        return raw;
    }

    /**
     * The register word with this field replaced by {@code value}, other bits unchanged.
     *
     * @throws IllegalArgumentException when the value does not fit the field
     */
    public long insert(long wordValue, long value) {
        if (value < minValue() || value > maxValue()) {
            throw new IllegalArgumentException(sdkName() + " = " + value + " does not fit its " + width + "-bit "
                    + (signed ? "signed" : "unsigned") + " field (range " + minValue() + ".." + maxValue() + ")");
        }
        return (wordValue & ~mask()) | ((value << shift) & mask());
    }
}
