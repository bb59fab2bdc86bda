package k210studio.kpu.chip;

/**
 * The ten KPU pooling / down-sampling modes of the 4-bit {@code pool_type} field, applied to the
 * uint8 activation output (kpu-arith.md §3.5, kmodel-v4.md §7.2.5). Output size = input / stride,
 * rounded down.
 */
public enum KpuPoolType {
    BYPASS(0, Op.BYPASS, 1, 1),
    MAX_2_S2(1, Op.MAX, 2, 2),
    MEAN_2_S2(2, Op.MEAN, 2, 2),
    MAX_4_S4(3, Op.MAX, 4, 4),
    MEAN_4_S4(4, Op.MEAN, 4, 4),
    LEFT_TOP_2_S2(5, Op.SELECT, 2, 2),
    RIGHT_TOP_2_S2(6, Op.SELECT, 2, 2),
    LEFT_TOP_4_S4(7, Op.SELECT, 4, 4),
    MEAN_2_S1(8, Op.MEAN, 2, 1),
    MAX_2_S1(9, Op.MAX, 2, 1);

    /** What a pool does with its window. */
    public enum Op { BYPASS, MAX, MEAN, SELECT }

    private static final KpuPoolType[] BY_CODE = values();

    private final int code;
    private final Op op;
    private final int window;
    private final int stride;

    KpuPoolType(int code, Op op, int window, int stride) {
        this.code = code;
        this.op = op;
        this.window = window;
        this.stride = stride;
    }

    /** The register code 0..9. */
    public int code() {
        return code;
    }

    public Op op() {
        return op;
    }

    /** Window side (1, 2 or 4). */
    public int window() {
        return window;
    }

    public int stride() {
        return stride;
    }

    /** Column offset of the selected element inside the window (select pools; 0 otherwise). */
    public int selectColumn() {
        return this == RIGHT_TOP_2_S2 ? 1 : 0;
    }

    /** Pooled size of an input side: floor(size / stride). */
    public int outputSize(int inputSize) {
        return inputSize / stride;
    }

    /** The pool type for a code, or null when the code (10..15, or out of range) has no known meaning. */
    public static KpuPoolType fromCodeOrNull(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    @Override
    public String toString() {
        return name() + "(" + code + ")";
    }
}
