package k210studio.kpu.kmodel.v4.body;

/** An immutable array of raw bytes (uint8 weights, tables, programs) stored in a V4 body. */
public final class Bytes extends BodyArray {
    public static final int ELEMENT_BYTES = 1;

    private final byte[] values;

    private Bytes(byte[] values) {
        super(values, ELEMENT_BYTES);
        this.values = values;
    }

    /** Copies the given values. */
    public static Bytes of(byte... values) {
        return new Bytes(values.clone());
    }

    public byte get(int i) {
        return values[i];
    }

    /** A fresh copy of the values. */
    public byte[] toArray() {
        return values.clone();
    }
}
