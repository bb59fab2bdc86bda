package k210studio.kpu.kmodel.v4.body;

/** V4 unary_op_t (4 bytes); the stored code is the ordinal (kmodel-v4.md §4). */
public enum UnaryOp {
    ABS, CEIL, COS, EXP, FLOOR, LOG, NEG, RSQRT, SIN, SQUARE;

    public int code() {
        return ordinal();
    }

    /** The value for a stored code, or {@code null} when unknown. */
    public static UnaryOp ofCode(long code) {
        return code >= 0 && code < values().length ? values()[(int) code] : null;
    }
}
