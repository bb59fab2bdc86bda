package k210studio.kpu.kmodel.v4.body;

import java.util.Arrays;

/** An immutable array of float32 values (weights, biases) stored in a V4 body. */
public final class Floats {
    private final float[] values;

    private Floats(float[] values) {
        this.values = values;
    }

    /** Copies the given values. */
    public static Floats of(float... values) {
        return new Floats(values.clone());
    }

    public int length() {
        return values.length;
    }

    public float get(int i) {
        return values[i];
    }

    /** A fresh copy of the values. */
    public float[] toArray() {
        return values.clone();
    }

    /** Size in the file: {@value #ELEMENT_BYTES} bytes per element. */
    public long byteSize() {
        return (long) values.length * ELEMENT_BYTES;
    }

    public static final int ELEMENT_BYTES = 4;

    @Override
    public boolean equals(Object o) {
        return o instanceof Floats other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Floats[" + values.length + "]";
    }
}
