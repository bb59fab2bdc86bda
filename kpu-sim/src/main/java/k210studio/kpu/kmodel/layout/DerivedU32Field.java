package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/** A u32 the file stores and the record does not: computed from the record's values when writing. */
abstract class DerivedU32Field extends Field<Long> {
    DerivedU32Field(String name) {
        super(name, long.class, 4);
    }

    @Override
    public final boolean stored() {
        return false;
    }

    @Override
    Long read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        return r.u32(path);
    }

    @Override
    final void write(FieldWriter w, Long value, FieldValues v, String path) {
        w.mark(path, this, 4);
        w.u32(value);
    }
}
