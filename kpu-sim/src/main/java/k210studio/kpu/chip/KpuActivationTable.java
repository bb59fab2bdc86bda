package k210studio.kpu.chip;

import java.util.List;
import k210studio.kpu.kmodel.KpuRules;

/**
 * The 18-word KPU activation table ({@code kpu_activate_table_t}, 144 bytes): 16 segment words
 * then 16 result_bias bytes (kpu-arith.md §2/§3.4, kmodel-v3.md §5.6, kmodel-v4.md §7.2.3).
 * Immutable; the raw words are kept (bits 60–63 of segment words round-trip).
 *
 * <p>Rule sets ({@link KpuRules}):
 * <ul>
 * <li>BETA4 (nncase 0.2 simulator): highest segment i with {@code bn > x_start_i} (strict);
 * rounding of (bn − x_start)·y_mul by shift with beta4's {@code carry_shift<int64, true>}
 * (ties to even for t ≥ 0, and its sign quirk for t < 0).</li>
 * <li>RC5 (nncase 0.1 emulator, SDK {@code kpu_carry_shift}): highest segment with
 * {@code x_start_i ≤ bn}; rounding half up via {@code v = t >> (s−1)}, odd v → (v >> 1) ± 1.</li>
 * </ul>
 * When no segment matches (bn below every start) segment 0 is used.
 */
public final class KpuActivationTable {
    /** Number of segments. */
    public static final int SEGMENTS = 16;
    /** Number of u64 words. */
    public static final int WORDS = 18;
    /** Size in bytes. */
    public static final int BYTES = 144;

    private final long[] words;
    final long[] xStart = new long[SEGMENTS];
    final long[] yMul = new long[SEGMENTS];
    final int[] shift = new int[SEGMENTS];
    final long[] bias = new long[SEGMENTS];

    private KpuActivationTable(long[] words) {
        this.words = words;
        for (int i = 0; i < SEGMENTS; i++) {
            long w = words[i];
            shift[i] = (int) (w & 0xFF);
            yMul[i] = (short) (w >>> 8);
            xStart[i] = (w << 4) >> 28;
            bias[i] = (words[16 + i / 8] >>> (8 * (i % 8))) & 0xFF;
        }
    }

    /** From the 18 raw words (copied). */
    public static KpuActivationTable fromWords(long... words) {
        if (words == null || words.length != WORDS) {
            throw new IllegalArgumentException("an activation table has 18 u64 words, got "
                    + (words == null ? "null" : words.length));
        }
        return new KpuActivationTable(words.clone());
    }

    /** From 144 little-endian bytes at {@code offset}. */
    public static KpuActivationTable fromBytes(byte[] bytes, int offset) {
        if (offset < 0 || bytes.length - offset < BYTES) {
            throw new IllegalArgumentException("an activation table needs 144 bytes at offset " + offset + ", only "
                    + Math.max(0, bytes.length - offset) + " available");
        }
        long[] w = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            w[i] = KpuLayerArgument.readLong(bytes, offset + 8 * i);
        }
        return new KpuActivationTable(w);
    }

    /** From 16 segments. */
    public static KpuActivationTable of(List<KpuActivationSegment> segments) {
        if (segments.size() != SEGMENTS) {
            throw new IllegalArgumentException("an activation table has 16 segments, got " + segments.size());
        }
        long[] w = new long[WORDS];
        for (int i = 0; i < SEGMENTS; i++) {
            KpuActivationSegment s = segments.get(i);
            w[i] = s.toWord();
            w[16 + i / 8] |= (long) s.bias() << (8 * (i % 8));
        }
        return new KpuActivationTable(w);
    }

    /** A copy of the 18 words. */
    public long[] toWords() {
        return words.clone();
    }

    /** The 144 little-endian bytes. */
    public byte[] toBytes() {
        byte[] b = new byte[BYTES];
        for (int i = 0; i < WORDS; i++) {
            for (int k = 0; k < 8; k++) {
                b[8 * i + k] = (byte) (words[i] >>> (8 * k));
            }
        }
        return b;
    }

    /** Segment {@code i} (0..15). */
    public KpuActivationSegment segment(int i) {
        return new KpuActivationSegment(xStart[i], (int) yMul[i], shift[i], (int) bias[i]);
    }

    /** Index of the segment that {@code bn} falls in under a rule set. */
    public int selectSegment(long bn, KpuRules rules) {
        boolean strict = strict(rules);
        for (int i = SEGMENTS - 1; i >= 0; i--) {
            if (strict ? bn > xStart[i] : bn >= xStart[i]) {
                return i;
            }
        }
        return 0;
    }

    /** The activation of one BN output: segment, rounding shift, bias, clamp to 0..255. */
    public int apply(long bn, KpuRules rules) {
        int i = selectSegment(bn, rules);
        long t = (bn - xStart[i]) * yMul[i];
        long y = (strict(rules) ? roundBeta4(t, shift[i]) : roundRc5(t, shift[i])) + bias[i];
        return y < 0 ? 0 : y > 255 ? 255 : (int) y;
    }

    static boolean strict(KpuRules rules) {
        switch (rules) {
            case BETA4:
                return true;
            case RC5:
                return false;
            default:
                throw new IllegalArgumentException("resolve KpuRules.MODEL_DEFAULT to RC5 or BETA4 with "
                        + "KpuRules.resolve(kmodelVersion) before running the KPU");
        }
    }

    /**
     * nncase 0.2.0-beta4 {@code carry_shift<int64_t, true>}: q = floor(t / 2^s), f = t mod 2^s,
     * h = 2^(s−1); f &lt; h → q; f &gt; h → q + sgn(t); f = h → q + sgn(t) if q is odd, else q.
     * Shifts of 64 and more act as 63 (the C++ is undefined there).
     */
    public static long roundBeta4(long t, int s) {
        if (s <= 0) {
            return t;
        }
        if (s > 63) {
            s = 63;
        }
        long q = t >> s;
        long f = t & ((1L << s) - 1);
        long h = 1L << (s - 1);
        long sign = t < 0 ? -1 : 1;
        if (f < h) {
            return q;
        }
        if (f > h) {
            return q + sign;
        }
        return (q & 1) != 0 ? q + sign : q;
    }

    /**
     * nncase 0.1.0-rc5 {@code CarryShift} / SDK {@code kpu_carry_shift}: v = t >> (s−1); even v → v >> 1;
     * odd v → (v >> 1) + 1 for v ≥ 0, (v >> 1) − 1 for v &lt; 0. Shifts of 64 and more act as 63.
     */
    public static long roundRc5(long t, int s) {
        if (s <= 0) {
            return t;
        }
        if (s > 63) {
            s = 63;
        }
        long v = t >> (s - 1);
        if ((v & 1) != 0) {
            return v < 0 ? (v >> 1) - 1 : (v >> 1) + 1;
        }
        return v >> 1;
    }
}
