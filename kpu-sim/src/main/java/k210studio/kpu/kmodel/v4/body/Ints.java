package k210studio.kpu.kmodel.v4.body;

/** An immutable array of int32 values (quantized biases, index vectors) stored in a V4 body. */
public final class Ints extends BodyArray {
    public static final int ELEMENT_BYTES = 4;

    private final int[] values;

    private Ints(int[] values) {
        super(values, ELEMENT_BYTES);
        this.values = values;
    }

    /** Copies the given values. */
    public static Ints of(int... values) {
        return new Ints(values.clone());
    }

    public int get(int i) {
        return values[i];
    }

    /** A fresh copy of the values. */
    public int[] toArray() {
        return values.clone();
    }
}
