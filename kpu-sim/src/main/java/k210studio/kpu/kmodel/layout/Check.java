package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/** A rule a field's value must meet beyond its type (e.g. the KPU kernel type of a register image). */
@FunctionalInterface
public interface Check<T> {
    /** @param at the field's file offset */
    void verify(T value, FieldValues v, long at, String path) throws KmodelFormatException;
}
