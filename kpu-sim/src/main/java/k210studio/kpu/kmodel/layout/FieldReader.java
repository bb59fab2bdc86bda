package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * A bounds-checked little-endian cursor over a window of the file (one body). Every read names its
 * field; a read past the window fails with the format's error naming the offset and the field.
 */
public interface FieldReader extends FieldErrors {
    /** Absolute file offset of the next byte. */
    long position();

    /** Absolute end of the window (the body end, clipped to the file). */
    long limit();

    /** Moves to an absolute offset inside the window (blocks found through pointers). */
    void seek(long position);

    /** Fails unless {@code bytes} more bytes lie inside the window. */
    void need(long bytes, String field) throws KmodelFormatException;

    int i32(String field) throws KmodelFormatException;

    int u8(String field) throws KmodelFormatException;

    byte[] bytes(long count, String field) throws KmodelFormatException;

    default long remaining() {
        return limit() - position();
    }

    default long u32(String field) throws KmodelFormatException {
        return i32(field) & 0xFFFF_FFFFL;
    }

    default float f32(String field) throws KmodelFormatException {
        return Float.intBitsToFloat(i32(field));
    }

    default long u64(String field) throws KmodelFormatException {
        long lo = u32(field);
        return lo | u32(field) << 32;
    }

    default void skip(long bytes, String field) throws KmodelFormatException {
        need(bytes, field);
        seek(position() + bytes);
    }
}
