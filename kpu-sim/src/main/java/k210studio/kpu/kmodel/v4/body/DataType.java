package k210studio.kpu.kmodel.v4.body;

/** Element type of a V4 tensor: only float32 (0) and uint8 (1) exist in V4 (kmodel-v4.md §4). */
public enum DataType {
    FLOAT32(0, 4),
    UINT8(1, 1);

    private final int code;
    private final int bytes;

    DataType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type for a stored code, or {@code null} when unknown. */
    public static DataType ofCode(long code) {
        for (DataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
