package k210studio.kpu.kmodel.v4.body;

/**
 * A V4 {@code scalar} (8 bytes): a datatype code and 4 raw value bytes (a float32, or a uint8 in
 * the first byte). Kept raw so that any stored bits are written back unchanged.
 */
public record Scalar(int dataTypeCode, int rawBits) {
    public static final int BYTES = 8;

    public float asFloat() {
        return Float.intBitsToFloat(rawBits);
    }

    public int asUint8() {
        return rawBits & 0xFF;
    }
}
