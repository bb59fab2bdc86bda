package k210studio.kpu.kmodel.layout;

import java.util.List;
import java.util.Random;

/**
 * Field-aware mutations driven by the body declarations: 1-3 declared leaf fields of a file (their
 * spans from {@link RecordLayout#spans}) get an edge value of their kind — an int just below its
 * minimum or at the int limits, an unsigned or derived count at its extremes or one past, an enum
 * code past the last, a bool of 2, a float NaN / infinity / extreme, or a flipped byte inside an
 * array. Byte-level mutators rarely hit such values inside a field; these aim at every range check.
 */
public final class FieldMutator {
    private static final float[] FLOATS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, 0f, -0f};

    private FieldMutator() {
    }

    /** A mutated copy of {@code file}; {@code spans} are the leaf fields of all its bodies. */
    public static byte[] mutate(byte[] file, List<FieldSpan> spans, Random rnd) {
        byte[] b = file.clone();
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            FieldSpan s = spans.get(rnd.nextInt(spans.size()));
            if (s.offset() + s.bytes() > b.length || s.bytes() == 0) {
                continue;
            }
            if (s.field() instanceof ArrayField<?> || s.field() instanceof GapField
                    || s.field() instanceof InterleavedField) {
                b[(int) (s.offset() + Math.floorMod(rnd.nextLong(), s.bytes()))] ^= (byte) (1 << rnd.nextInt(8));
                continue;
            }
            long v = edge(s, b, rnd);
            for (int i = 0; i < s.bytes(); i++) {
                b[(int) s.offset() + i] = (byte) (v >>> (8 * i));
            }
        }
        return b;
    }

    private static long edge(FieldSpan s, byte[] b, Random rnd) {
        Field<?> f = s.field();
        long current = 0;
        for (int i = 0; i < s.bytes(); i++) {
            current |= (b[(int) s.offset() + i] & 0xFFL) << (8 * i);
        }
        if (rnd.nextInt(5) == 0) {
            return current + (rnd.nextBoolean() ? 1 : -1);
        }
        if (f instanceof IntField i) {
            long[] v = {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, 1, 1 << 16, 1 << 24, (long) i.min() - 1};
            return v[rnd.nextInt(i.min() > Integer.MIN_VALUE ? v.length : v.length - 1)];
        }
        if (f instanceof EnumField<?> || f instanceof BoolField) {
            return LayoutLaws.outOfRange(f) + rnd.nextInt(3);
        }
        if (f instanceof FloatField) {
            return Float.floatToRawIntBits(FLOATS[rnd.nextInt(FLOATS.length)]);
        }
        long max = s.bytes() >= 8 ? -1L : (1L << (8 * s.bytes())) - 1;
        long[] v = {0, max, max - 1, max >>> 1, (max >>> 1) + 1, b.length, b.length + 1L, 1 << 20};
        return v[rnd.nextInt(v.length)];
    }
}
