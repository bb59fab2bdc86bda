package k210studio.kpu.kmodel.v4.body;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * An immutable array stored in a V4 body (weights, biases, tables, register images): equal by
 * content, shown by its length. The subclasses hold the typed primitive array and read it.
 */
public abstract sealed class BodyArray permits Bytes, Floats, Ints, Longs {
    private final Object values;
    private final int length;
    private final int elementBytes;

    BodyArray(Object values, int elementBytes) {
        this.values = values;
        this.length = Array.getLength(values);
        this.elementBytes = elementBytes;
    }

    public final int length() {
        return length;
    }

    /** Size in the file: length times the element's bytes. */
    public final long byteSize() {
        return (long) length() * elementBytes;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.deepEquals(new Object[] {values},
                new Object[] {((BodyArray) o).values});
    }

    @Override
    public final int hashCode() {
        return Arrays.deepHashCode(new Object[] {values});
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + length() + "]";
    }
}
