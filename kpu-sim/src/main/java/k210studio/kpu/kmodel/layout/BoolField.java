package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/** A one-byte bool: 0 or 1, any other byte refused. */
public final class BoolField extends Field<Boolean> {
    BoolField(String name) {
        super(name, boolean.class, 1);
    }

    @Override
    Boolean read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long at = r.position();
        int b = r.u8(path);
        if (b > 1) {
            throw r.error(at, path, "is " + b + "; a bool must be 0 or 1");
        }
        return b == 1;
    }

    @Override
    void write(FieldWriter w, Boolean value, FieldValues v, String path) {
        w.mark(path, this, 1);
        w.u8(value ? 1 : 0);
    }
}
