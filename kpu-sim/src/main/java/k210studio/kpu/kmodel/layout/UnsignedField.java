package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * An unsigned little-endian integer of 1 to 4 bytes: a u32 kept as a long, or a narrower one (the
 * 3 struct pad bytes of resize_image) kept as an int. Writing refuses a value outside its range.
 */
public final class UnsignedField<N extends Number> extends Field<N> {
    private final int width;

    private UnsignedField(String name, int width, Class<?> type) {
        super(name, type, width);
        this.width = width;
    }

    static UnsignedField<Long> u32(String name) {
        return new UnsignedField<>(name, 4, long.class);
    }

    static UnsignedField<Integer> narrow(String name, int width) {
        return new UnsignedField<>(name, width, int.class);
    }

    /** Bytes in the file. */
    public int width() {
        return width;
    }

    /** Largest value the field holds. */
    public long max() {
        return (1L << (8 * width)) - 1;
    }

    @Override
    N read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long x;
        if (width == 4) {
            x = r.u32(path);
        } else {
            x = 0;
            for (int i = 0; i < width; i++) {
                x |= (long) r.u8(path) << (8 * i);
            }
        }
        return box(x);
    }

    @SuppressWarnings("unchecked")
    private N box(long x) {
        return (N) (type() == long.class ? (Number) x : (Number) (int) x);
    }

    @Override
    void write(FieldWriter w, N value, FieldValues v, String path) throws KmodelFormatException {
        long x = value.longValue();
        if (x < 0 || x > max()) {
            throw w.error(w.position(), path, "is " + x + ", outside the u" + 8 * width + " range 0.." + max());
        }
        w.mark(path, this, width);
        if (width == 4) {
            w.u32(x);
        } else {
            for (int i = 0; i < width; i++) {
                w.u8((int) (x >>> (8 * i)));
            }
        }
    }
}
