package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * How many elements a variable part holds, computed from the fields before it (weights from the
 * shape fields, a list from its count). Fails with the error naming the field that asks too much.
 */
@FunctionalInterface
public interface Sizer {
    long count(FieldValues v) throws KmodelFormatException;

    static Sizer fixed(long n) {
        return v -> n;
    }

    /** The value of an earlier integer field. */
    static Sizer of(String field) {
        return v -> v.integer(field);
    }
}
