package k210studio.kpu.kmodel.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * What every declaration must do, checked on bodies generated from the declaration itself: write
 * then read gives the same body, the leaf fields tile the bytes in order, and every value outside
 * its declared range is refused, when read from bytes (naming the field and its offset) and when
 * written from a record (naming the field).
 */
public final class LayoutLaws {
    private LayoutLaws() {
    }

    /** A format's own reader and writer for one body at file offset 0. */
    public interface Codec<R> {
        byte[] write(R body);

        /** Reads the body and fails unless it consumes every byte. */
        R read(byte[] bytes) throws KmodelFormatException;
    }

    /** {@code n} generated bodies round-trip; their leaf spans are in order, inside the bytes, none overlapping. */
    public static <R> void roundTrip(RecordLayout<R> layout, Map<String, ?> params, Codec<R> codec, Random rnd, int n)
            throws KmodelFormatException {
        BodyGenerator gen = new BodyGenerator(rnd);
        for (int i = 0; i < n; i++) {
            R body = gen.generate(layout, params);
            byte[] bytes = codec.write(body);
            assertThat(codec.read(bytes)).as("%s #%d", layout, i).isEqualTo(body);
            long end = 0;
            for (FieldSpan s : layout.spans(body, 0, params)) {
                assertThat(s.offset()).as("%s %s", layout, s.path()).isGreaterThanOrEqualTo(end);
                end = s.offset() + s.bytes();
            }
            assertThat(end).as("%s: last field ends the body", layout).isEqualTo(bytes.length);
        }
    }

    /**
     * Every range-checked leaf of a generated body (int minimum, enum code, bool, derived count,
     * block pointer), stored out of range, is refused when read; the message names the field's full
     * name and its offset. Returns how many leaves were tried.
     */
    public static <R> int outOfRangeBytesAreRefused(RecordLayout<R> layout, Map<String, ?> params, Codec<R> codec,
            Random rnd) {
        R body = new BodyGenerator(rnd).generate(layout, params);
        byte[] bytes = codec.write(body);
        int tried = 0;
        for (FieldSpan s : layout.spans(body, 0, params)) {
            Long bad = outOfRange(s.field());
            if (bad == null) {
                continue;
            }
            byte[] b = bytes.clone();
            for (int i = 0; i < s.bytes(); i++) {
                b[(int) s.offset() + i] = (byte) (bad >>> (8 * i));
            }
            String where = "0x" + Long.toHexString(s.offset());
            assertThatThrownBy(() -> codec.read(b)).as("%s %s = %d", layout, s.path(), bad)
                    .isInstanceOf(KmodelFormatException.class).hasMessageContaining(s.path())
                    .hasMessageContaining(where);
            tried++;
        }
        return tried;
    }

    /** A stored value the field refuses, or null when every stored value is valid. */
    static Long outOfRange(Field<?> f) {
        if (f instanceof IntField i && i.min() > Integer.MIN_VALUE) {
            return (long) i.min() - 1;
        }
        if (f instanceof EnumField<?> e) {
            return maxCode(e) + 1;
        }
        if (f instanceof BoolField) {
            return 2L;
        }
        if (f instanceof CountField || f instanceof PointerField) {
            return 0xFFFF_FFF0L;
        }
        return null;
    }

    private static <E extends Enum<E>> long maxCode(EnumField<E> e) {
        return e.constants().stream().mapToLong(e::code).max().orElse(-1);
    }

    /**
     * Every top-level or value-type integer component set outside its declared range, and every
     * sized array one element too long, is refused by the writer naming the field (unless the record
     * itself already refuses the value). Returns how many components were tried.
     */
    public static <R> int outOfRangeValuesAreRefused(RecordLayout<R> layout, Map<String, ?> params, Codec<R> codec,
            Random rnd) {
        R body = new BodyGenerator(rnd).generate(layout, params);
        Object[] comps = layout.components(body);
        int tried = 0;
        int slot = 0;
        for (Field<?> f : layout.fields()) {
            if (!f.stored()) {
                continue;
            }
            int k = slot;
            slot += f.componentNames().size();
            for (var bad : badValues(f, comps[k])) {
                Object[] c = comps.clone();
                c[k] = bad.value();
                R broken;
                try {
                    broken = layout.construct(c);
                } catch (IllegalArgumentException e) {
                    continue; // the record refuses it already
                }
                assertThatThrownBy(() -> codec.write(broken)).as("%s %s", layout, bad.path())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.path());
                tried++;
            }
        }
        return tried;
    }

    private record Bad(String path, Object value) {
    }

    private static List<Bad> badValues(Field<?> f, Object current) {
        Object bad = badScalar(f);
        if (bad != null) {
            return List.of(new Bad(f.name(), bad));
        }
        if (f instanceof ArrayField<?> a && !a.rest()) {
            return List.of(new Bad(f.name(), longer(a, current)));
        }
        if (f instanceof StructField<?> s) {
            return badParts(f.name(), s.layout(), current);
        }
        return List.of();
    }

    private static <S> List<Bad> badParts(String name, RecordLayout<S> layout, Object current) {
        Object[] parts = layout.components(layout.type().cast(current));
        List<Bad> out = new java.util.ArrayList<>();
        for (int p = 0; p < layout.fields().size(); p++) {
            Object bad = badScalar(layout.fields().get(p));
            if (bad == null) {
                continue;
            }
            Object[] c = parts.clone();
            c[p] = bad;
            try {
                out.add(new Bad(name + layout.fields().get(p).name(), layout.construct(c)));
            } catch (IllegalArgumentException e) {
                // the value type refuses it already
            }
        }
        return out;
    }

    private static Object badScalar(Field<?> f) {
        if (f instanceof IntField i && i.min() > Integer.MIN_VALUE) {
            return i.min() - 1;
        }
        if (f instanceof UnsignedField<?> u) {
            return u.type() == long.class ? (Object) (u.max() + 1) : (Object) (int) (u.max() + 1);
        }
        return null;
    }

    private static <A> A longer(ArrayField<A> a, Object current) {
        int n = a.length(a.cast(current)) + 1;
        return a.wrap(java.lang.reflect.Array.newInstance(a.element() == ArrayField.Element.U8 ? byte.class
                : a.element() == ArrayField.Element.I32 ? int.class : a.element() == ArrayField.Element.F32
                ? float.class : long.class, n));
    }
}
