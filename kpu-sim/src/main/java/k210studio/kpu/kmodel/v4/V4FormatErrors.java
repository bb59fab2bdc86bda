package k210studio.kpu.kmodel.v4;

import k210studio.kpu.kmodel.KmodelFormatException;

/** Builds the documented format error for V4 files: every message names the offset and the field. */
final class V4FormatErrors {
    private V4FormatErrors() {
    }

    static KmodelFormatException at(long offset, String field, String problem) {
        return new KmodelFormatException(offset, "kmodel V4 " + field.trim(), problem);
    }

    static KmodelFormatException general(String problem) {
        return new KmodelFormatException("kmodel V4: " + problem);
    }
}
