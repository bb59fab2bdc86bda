package k210studio.kpu.kmodel.layout;

/**
 * A growable little-endian sink whose position is the absolute file offset. Its errors name a
 * field a body built in code cannot store (a value out of its declared range).
 */
public interface FieldWriter extends FieldErrors {
    long position();

    void i32(int v);

    void u8(int v);

    void bytes(byte[] b);

    /** Appends {@code n} zero bytes. */
    void zeros(long n);

    default void u32(long v) {
        i32((int) v);
    }

    default void f32(float v) {
        i32(Float.floatToRawIntBits(v));
    }

    default void u64(long v) {
        i32((int) v);
        i32((int) (v >>> 32));
    }

    /** Called before each leaf field is written, with the bytes it takes (field maps use it). */
    default void mark(String path, Field<?> field, long bytes) {
    }
}
