package k210studio.kpu.kmodel.v4.body;

import java.util.Arrays;

/** An immutable array of int32 values (quantized biases, index vectors) stored in a V4 body. */
public final class Ints {
    private final int[] values;

    private Ints(int[] values) {
        this.values = values;
    }

    /** Copies the given values. */
    public static Ints of(int... values) {
        return new Ints(values.clone());
    }

    public int length() {
        return values.length;
    }

    public int get(int i) {
        return values[i];
    }

    /** A fresh copy of the values. */
    public int[] toArray() {
        return values.clone();
    }

    /** Size in the file: {@value #ELEMENT_BYTES} bytes per element. */
    public long byteSize() {
        return (long) values.length * ELEMENT_BYTES;
    }

    public static final int ELEMENT_BYTES = 4;

    @Override
    public boolean equals(Object o) {
        return o instanceof Ints other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Ints[" + values.length + "]";
    }
}
