package k210studio.kpu.kmodel.v4.body;

/** An immutable array of u64 words (KPU register images, batch-norm entries) stored in a V4 body. */
public final class Longs extends BodyArray {
    public static final int ELEMENT_BYTES = 8;

    private final long[] values;

    private Longs(long[] values) {
        super(values, ELEMENT_BYTES);
        this.values = values;
    }

    /** Copies the given values. */
    public static Longs of(long... values) {
        return new Longs(values.clone());
    }

    public long get(int i) {
        return values[i];
    }

    /** A fresh copy of the values. */
    public long[] toArray() {
        return values.clone();
    }
}
