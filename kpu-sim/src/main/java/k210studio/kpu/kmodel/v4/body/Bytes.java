package k210studio.kpu.kmodel.v4.body;

import java.util.Arrays;

/** An immutable array of raw bytes (uint8 weights, tables, programs) stored in a V4 body. */
public final class Bytes {
    private final byte[] values;

    private Bytes(byte[] values) {
        this.values = values;
    }

    /** Copies the given values. */
    public static Bytes of(byte... values) {
        return new Bytes(values.clone());
    }

    public int length() {
        return values.length;
    }

    public byte get(int i) {
        return values[i];
    }

    /** A fresh copy of the values. */
    public byte[] toArray() {
        return values.clone();
    }

    /** Size in the file: {@value #ELEMENT_BYTES} bytes per element. */
    public long byteSize() {
        return (long) values.length * ELEMENT_BYTES;
    }

    public static final int ELEMENT_BYTES = 1;

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Bytes[" + values.length + "]";
    }
}
