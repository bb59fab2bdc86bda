package k210studio.converter.tflite;

/** TFLite element types (schema enum {@code TensorType}) with their byte sizes (0 = not a fixed-size number). */
public enum TensorType {
    FLOAT32(0, 4), FLOAT16(1, 2), INT32(2, 4), UINT8(3, 1), INT64(4, 8), STRING(5, 0), BOOL(6, 1), INT16(7, 2),
    COMPLEX64(8, 0), INT8(9, 1), FLOAT64(10, 8), COMPLEX128(11, 0), UINT64(12, 8), RESOURCE(13, 0), VARIANT(14, 0),
    UINT32(15, 4), UINT16(16, 2), INT4(17, 0), BFLOAT16(18, 2), UNKNOWN(-1, 0);

    private final int code;
    private final int bytes;

    TensorType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public int code() {
        return code;
    }

    /** Bytes per element, 0 for types the importer cannot read as numbers. */
    public int bytes() {
        return bytes;
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT16 || this == FLOAT64 || this == BFLOAT16;
    }

    /** True for the 8-bit integer types quantized models use for activations. */
    public boolean isQuantized8() {
        return this == INT8 || this == UINT8;
    }

    public static TensorType fromCode(int code) {
        for (TensorType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return UNKNOWN;
    }
}
