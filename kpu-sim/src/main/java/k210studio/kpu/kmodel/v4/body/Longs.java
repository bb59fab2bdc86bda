package k210studio.kpu.kmodel.v4.body;

import java.util.Arrays;

/** An immutable array of u64 words (KPU register images, batch-norm entries) stored in a V4 body. */
public final class Longs {
    private final long[] values;

    private Longs(long[] values) {
        this.values = values;
    }

    /** Copies the given values. */
    public static Longs of(long... values) {
        return new Longs(values.clone());
    }

    public int length() {
        return values.length;
    }

    public long get(int i) {
        return values[i];
    }

    /** A fresh copy of the values. */
    public long[] toArray() {
        return values.clone();
    }

    /** Size in the file: {@value #ELEMENT_BYTES} bytes per element. */
    public long byteSize() {
        return (long) values.length * ELEMENT_BYTES;
    }

    public static final int ELEMENT_BYTES = 8;

    @Override
    public boolean equals(Object o) {
        return o instanceof Longs other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Longs[" + values.length + "]";
    }
}
