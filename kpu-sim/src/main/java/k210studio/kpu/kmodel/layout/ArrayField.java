package k210studio.kpu.kmodel.layout;

import java.lang.reflect.Array;
import java.util.function.Function;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * A run of u8, int32, float32 or u64 elements (weights, biases, tables, register images) whose
 * length a {@link Sizer} computes from the fields before it, or that takes the rest of the body.
 * The byte count is checked against the body before anything is allocated; writing refuses an
 * array whose length the fields before it do not call for.
 *
 * @param <A> the value type: the primitive array, or a wrapper mapped with {@link #map}
 */
public final class ArrayField<A> extends Field<A> {
    /** Element encoding. */
    public enum Element {
        U8(1, byte[].class), I32(4, int[].class), F32(4, float[].class), U64(8, long[].class);

        private final int bytes;
        private final Class<?> arrayType;

        Element(int bytes, Class<?> arrayType) {
            this.bytes = bytes;
            this.arrayType = arrayType;
        }

        public int bytes() {
            return bytes;
        }
    }

    private final Element element;
    private final Sizer sizer;
    private final Function<Object, A> wrap;
    private final Function<A, Object> unwrap;

    private ArrayField(String name, Class<?> type, Element element, Sizer sizer, Function<Object, A> wrap,
            Function<A, Object> unwrap) {
        super(name, type, -1);
        this.element = element;
        this.sizer = sizer;
        this.wrap = wrap;
        this.unwrap = unwrap;
    }

    @SuppressWarnings("unchecked")
    static <A> ArrayField<A> of(String name, Element element, Sizer sizer) {
        return new ArrayField<>(name, element.arrayType, element, sizer, a -> (A) a, a -> a);
    }

    /** The same field holding its elements in another type (e.g. an immutable wrapper). */
    public <B> ArrayField<B> map(Class<B> type, Function<A, B> to, Function<B, A> from) {
        return new ArrayField<>(name(), type, element, sizer, wrap.andThen(to), from.andThen(unwrap));
    }

    public Element element() {
        return element;
    }

    /** True when the array is the rest of the body (its length is not stored). */
    public boolean rest() {
        return sizer == null;
    }

    /** Element count the fields before it call for (not for {@link #rest()} arrays). */
    public Sizer sizer() {
        return sizer;
    }

    /** Element count of a value. */
    public int length(A value) {
        return Array.getLength(unwrap.apply(value));
    }

    /** A value of the given primitive array (generators build values with it). */
    public A wrap(Object primitiveArray) {
        return wrap.apply(primitiveArray);
    }

    @Override
    A read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long n = sizer == null ? r.remaining() : sizer.count(v);
        if (n < 0) {
            throw r.error(r.position(), path, "has a negative length (" + n + ")");
        }
        r.need(n * element.bytes, path);
        int len = (int) n;
        Object raw;
        switch (element) {
            case U8:
                raw = r.bytes(len, path);
                break;
            case I32: {
                int[] a = new int[len];
                for (int i = 0; i < len; i++) {
                    a[i] = r.i32(path);
                }
                raw = a;
                break;
            }
            case F32: {
                float[] a = new float[len];
                for (int i = 0; i < len; i++) {
                    a[i] = r.f32(path);
                }
                raw = a;
                break;
            }
            default: {
                long[] a = new long[len];
                for (int i = 0; i < len; i++) {
                    a[i] = r.u64(path);
                }
                raw = a;
            }
        }
        return wrap.apply(raw);
    }

    @Override
    void write(FieldWriter w, A value, FieldValues v, String path) throws KmodelFormatException {
        Object raw = unwrap.apply(value);
        int len = Array.getLength(raw);
        if (sizer != null) {
            long n = sizer.count(v);
            if (n != len) {
                throw w.error(w.position(), path, "holds " + len + " values but the fields before it call for " + n);
            }
        }
        w.mark(path, this, (long) len * element.bytes);
        switch (element) {
            case U8:
                w.bytes((byte[]) raw);
                break;
            case I32:
                for (int x : (int[]) raw) {
                    w.i32(x);
                }
                break;
            case F32:
                for (float x : (float[]) raw) {
                    w.f32(x);
                }
                break;
            default:
                for (long x : (long[]) raw) {
                    w.u64(x);
                }
        }
    }

    @Override
    long bytes(A value) {
        return (long) length(value) * element.bytes;
    }

    @Override
    long expectedBytes(FieldValues v) throws KmodelFormatException {
        return sizer.count(v) * element.bytes;
    }
}
