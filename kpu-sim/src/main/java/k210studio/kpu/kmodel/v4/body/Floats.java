package k210studio.kpu.kmodel.v4.body;

/** An immutable array of float32 values (weights, biases) stored in a V4 body. */
public final class Floats extends BodyArray {
    public static final int ELEMENT_BYTES = 4;

    private final float[] values;

    private Floats(float[] values) {
        super(values, ELEMENT_BYTES);
        this.values = values;
    }

    /** Copies the given values. */
    public static Floats of(float... values) {
        return new Floats(values.clone());
    }

    public float get(int i) {
        return values[i];
    }

    /** A fresh copy of the values. */
    public float[] toArray() {
        return values.clone();
    }
}
