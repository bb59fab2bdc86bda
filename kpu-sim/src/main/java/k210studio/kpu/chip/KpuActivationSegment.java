package k210studio.kpu.chip;

/**
 * One of the 16 segments of the KPU activation table (kpu-arith.md §3.4, kmodel-v3.md §5.6):
 * {@code y = round(( bn − xStart) · yMul / 2^shift) + bias}, then clamp to 0..255.
 *
 * @param xStart signed 36-bit start of the segment
 * @param yMul   signed 16-bit multiplier
 * @param shift  right shift 0..255 (8-bit field)
 * @param bias   unsigned 8-bit result bias
 */
public record KpuActivationSegment(long xStart, int yMul, int shift, int bias) {
    /** Lowest 36-bit value: nncase's start of segment 0. */
    public static final long MIN_X_START = -(1L << 35);

    public KpuActivationSegment {
        if (xStart < MIN_X_START || xStart >= (1L << 35)) {
            throw new IllegalArgumentException("x_start " + xStart + " does not fit 36 signed bits");
        }
        if (yMul < Short.MIN_VALUE || yMul > Short.MAX_VALUE) {
            throw new IllegalArgumentException("y_mul " + yMul + " does not fit 16 signed bits");
        }
        if (shift < 0 || shift > 255) {
            throw new IllegalArgumentException("shift_number " + shift + " is outside 0..255");
        }
        if (bias < 0 || bias > 255) {
            throw new IllegalArgumentException("result_bias " + bias + " is outside 0..255");
        }
    }

    /** Decodes a segment word plus its bias byte. */
    public static KpuActivationSegment fromWord(long word, int bias) {
        int shift = (int) (word & 0xFF);
        int mul = (short) (word >>> 8);
        long start = (word << 4) >> 28;
        return new KpuActivationSegment(start, mul, shift, bias & 0xFF);
    }

    /** The segment word (bias not included: it lives in words 16–17). */
    public long toWord() {
        return (shift & 0xFFL) | ((yMul & 0xFFFFL) << 8) | ((xStart & 0xF_FFFF_FFFFL) << 24);
    }
}
