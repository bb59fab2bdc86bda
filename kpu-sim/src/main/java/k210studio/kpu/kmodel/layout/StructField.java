package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/** A value type made of fields (memory range, shape, padding): a nested {@link RecordLayout}. */
public final class StructField<R> extends Field<R> {
    private final RecordLayout<R> layout;

    StructField(String name, RecordLayout<R> layout) {
        super(name, layout.type(), layout.fixedBytes());
        this.layout = layout;
    }

    public RecordLayout<R> layout() {
        return layout;
    }

    @Override
    R read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        return layout.readIn(r, v.params(), path);
    }

    @Override
    void write(FieldWriter w, R value, FieldValues v, String path) throws KmodelFormatException {
        layout.writeIn(w, value, v.params(), path);
    }

    @Override
    long bytes(R value) {
        return layout.bytes(value);
    }
}
