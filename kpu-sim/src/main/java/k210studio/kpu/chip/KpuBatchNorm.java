package k210studio.kpu.chip;

/**
 * One batch-norm table entry (one u64 per output channel, kpu-arith.md §2, kmodel-v3.md §5.5):
 * norm_mul bits 0–23 (signed), norm_add bits 24–55 (signed 32), norm_shift bits 56–59.
 * The stage computes {@code bn = floor(acc · mul / 2^shift) + add}.
 */
public record KpuBatchNorm(int mul, int shift, int add) {

    public KpuBatchNorm {
        if (mul < -(1 << 23) || mul >= (1 << 23)) {
            throw new IllegalArgumentException("norm_mul " + mul + " does not fit 24 signed bits");
        }
        if (shift < 0 || shift > 15) {
            throw new IllegalArgumentException("norm_shift " + shift + " is outside 0..15");
        }
    }

    /** Decodes a table word (bits 60–63 are ignored). */
    public static KpuBatchNorm fromWord(long word) {
        int mul = (int) ((word << 40) >> 40);
        int add = (int) (word >>> 24);
        int shift = (int) ((word >>> 56) & 0xF);
        return new KpuBatchNorm(mul, shift, add);
    }

    /** Encodes as a table word. */
    public long toWord() {
        return (mul & 0xFF_FFFFL) | ((add & 0xFFFF_FFFFL) << 24) | ((long) shift << 56);
    }

    /** The stage on one accumulator value. */
    public long apply(long acc) {
        return ((acc * mul) >> shift) + add;
    }
}
