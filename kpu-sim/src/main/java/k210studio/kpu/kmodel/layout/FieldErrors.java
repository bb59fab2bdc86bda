package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/** Builds a format's error for a field: every message names the field and the file offset. */
public interface FieldErrors {
    KmodelFormatException error(long offset, String field, String problem);
}
