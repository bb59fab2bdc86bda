package k210studio.kpu.kmodel.layout;

import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * A field found through a {@link PointerField} rather than in sequence. Reading checks that the
 * block lies inside the body after the fixed head; writing places the blocks one after another
 * after the head, each on a multiple of its alignment (absolute file offsets), zeros between.
 */
public final class BlockField<T> extends Field<T> {
    private final Field<T> inner;
    private final String pointer;
    private final int alignment;

    BlockField(String pointer, int alignment, Field<T> inner) {
        super(inner.name(), inner.type(), -1);
        this.inner = inner;
        this.pointer = pointer;
        this.alignment = alignment;
    }

    public Field<T> inner() {
        return inner;
    }

    public String pointer() {
        return pointer;
    }

    public int alignment() {
        return alignment;
    }

    @Override
    public String component() {
        return inner.component();
    }

    @Override
    List<String> componentNames() {
        return inner.componentNames();
    }

    @Override
    T read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long at = v.integer(pointer);
        long n = inner.expectedBytes(v);
        long lo = v.headEnd();
        long hi = r.limit();
        if (at < lo || at + n > hi) {
            throw v.error(v.offset(pointer), pointer, "points to " + at + ".." + (at + n) + ", outside the layer body "
                    + lo + ".." + hi);
        }
        r.seek(at);
        return inner.readField(r, v, path);
    }

    @Override
    void write(FieldWriter w, T value, FieldValues v, String path) throws KmodelFormatException {
        w.zeros(v.integer(pointer) - w.position());
        inner.writeField(w, value, v, path);
    }

    @Override
    long bytes(T value) {
        return inner.bytes(value);
    }
}
