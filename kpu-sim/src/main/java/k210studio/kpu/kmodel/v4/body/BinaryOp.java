package k210studio.kpu.kmodel.v4.body;

/** V4 binary_op_t (4 bytes); the stored code is the ordinal (kmodel-v4.md §4). */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MIN, MAX;

    public int code() {
        return ordinal();
    }

    /** The value for a stored code, or {@code null} when unknown. */
    public static BinaryOp ofCode(long code) {
        return code >= 0 && code < values().length ? values()[(int) code] : null;
    }
}
