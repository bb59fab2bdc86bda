package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/** A float32, kept bit for bit. */
public final class FloatField extends Field<Float> {
    FloatField(String name) {
        super(name, float.class, 4);
    }

    @Override
    Float read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        return r.f32(path);
    }

    @Override
    void write(FieldWriter w, Float value, FieldValues v, String path) {
        w.mark(path, this, 4);
        w.f32(value);
    }
}
