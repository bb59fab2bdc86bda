package k210studio.kpu.kmodel.layout;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/** The field kinds a layout is declared with. Names are the spec's; see {@link Field#as} for the record side. */
public final class Fields {
    private Fields() {
    }

    /** A signed int32. */
    public static IntField i32(String name) {
        return new IntField(name, Integer.MIN_VALUE);
    }

    /** A non-negative int32 (counts, sizes): a negative value is refused. */
    public static IntField count(String name) {
        return new IntField(name, 0);
    }

    /** An int32 that must be at least {@code min}. */
    public static IntField atLeast(String name, int min) {
        return new IntField(name, min);
    }

    /** A u32 held as a long (writing refuses values outside 0..2^32-1). */
    public static UnsignedField<Long> u32(String name) {
        return UnsignedField.u32(name);
    }

    /** An unsigned integer of 1..3 bytes held as an int. */
    public static UnsignedField<Integer> unsigned(String name, int bytes) {
        if (bytes < 1 || bytes > 3) {
            throw new IllegalArgumentException("1..3 bytes");
        }
        return UnsignedField.narrow(name, bytes);
    }

    public static FloatField f32(String name) {
        return new FloatField(name);
    }

    /** A one-byte bool (0 or 1). */
    public static BoolField bool8(String name) {
        return new BoolField(name);
    }

    /**
     * An enum stored as a u32 code.
     *
     * @param known what the format allows, for the message ("binary_op_t is 0..5 (add, ...)")
     */
    public static <E extends Enum<E>> EnumField<E> enumU32(String name, Class<E> type, LongFunction<E> ofCode,
            ToLongFunction<E> code, String known) {
        return new EnumField<>(name, type, ofCode, code, known);
    }

    /** A value type laid out by {@code layout}; its parts are named {@code name + part name}. */
    public static <R> StructField<R> struct(String name, RecordLayout<R> layout) {
        return new StructField<>(name, layout);
    }

    public static ArrayField<byte[]> u8s(String name, Sizer count) {
        return ArrayField.of(name, ArrayField.Element.U8, count);
    }

    public static ArrayField<int[]> i32s(String name, Sizer count) {
        return ArrayField.of(name, ArrayField.Element.I32, count);
    }

    public static ArrayField<float[]> f32s(String name, Sizer count) {
        return ArrayField.of(name, ArrayField.Element.F32, count);
    }

    public static ArrayField<long[]> u64s(String name, Sizer count) {
        return ArrayField.of(name, ArrayField.Element.U64, count);
    }

    /** The bytes from here to the end of the body (alignment zeros included). */
    public static ArrayField<byte[]> rest(String name) {
        return ArrayField.of(name, ArrayField.Element.U8, null);
    }

    /** {@code count} entries of {@code element} (whose own name is not used: entries are {@code name[i]}). */
    public static <E> ListField<E> list(String name, Field<E> element, Sizer count) {
        return new ListField<>(name, element, count);
    }

    /** A derived u32 count of the list or array field {@code counted}; each entry takes {@code unitBytes} bytes. */
    public static CountField countOf(String name, String counted, int unitBytes, String units) {
        return new CountField(name, counted, unitBytes, units);
    }

    /** Derived zero padding of {@code bytes} bytes. */
    public static GapField gap(String name, Sizer bytes) {
        return new GapField(name, bytes);
    }

    /** A derived u32 file offset of a block declared with {@link #at}. */
    public static PointerField pointer(String name) {
        return new PointerField(name);
    }

    /** {@code inner} found at the offset the pointer field stores; placed on a multiple of {@code alignment}. */
    public static <T> BlockField<T> at(String pointer, int alignment, Field<T> inner) {
        return new BlockField<>(pointer, alignment, inner);
    }

    /** {@code count} float32 tuples, one part per entry of {@code parts}, each part filling one float[] component. */
    public static InterleavedField interleavedF32(String name, Sizer count, List<String> parts,
            List<String> components) {
        return new InterleavedField(name, count, parts, components);
    }

    /** The fields in order, each part a field or a list of parts (runs several layouts share). */
    public static Field<?>[] sequence(Object... parts) {
        List<Field<?>> fields = new ArrayList<>();
        flatten(List.of(parts), fields);
        return fields.toArray(new Field<?>[0]);
    }

    private static void flatten(Collection<?> parts, List<Field<?>> into) {
        for (Object p : parts) {
            if (p instanceof Field<?> f) {
                into.add(f);
            } else {
                flatten((Collection<?>) p, into);
            }
        }
    }
}
