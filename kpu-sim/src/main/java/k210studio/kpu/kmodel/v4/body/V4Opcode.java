package k210studio.kpu.kmodel.v4.body;

/** The runtime opcodes of kmodel V4 with their names as spelled in nncase's runtime_op.def (§5). */
public enum V4Opcode {
    BINARY(0x0000, "binary"),
    CONCAT(0x0001, "concat"),
    CONV2D(0x0002, "conv2d"),
    DEQUANTIZE(0x0003, "dequantize"),
    MATMUL(0x0004, "matmul"),
    PAD(0x0005, "pad"),
    QUANTIZE(0x0006, "quantize"),
    REDUCE(0x0007, "reduce"),
    REDUCE_WINDOW2D(0x0008, "reduce_window2d"),
    MEMORY_COPY(0x0009, "memory_copy"),
    RESIZE_IMAGE(0x000A, "resize_image"),
    SOFTMAX(0x000B, "softmax"),
    TRANSPOSE(0x000C, "transpose"),
    STRIDED_SLICE(0x000D, "strided_slice"),
    UNARY(0x000E, "unary"),
    QUANTIZED_CONV2D(0x000F, "quantized_conv2d"),
    QUANTIZED_MATMUL(0x0010, "quantized_matmul"),
    QUANTIZED_BINARY(0x0011, "quantized_binary"),
    TABLE_LOOKUP1D(0x0012, "table_lookup1d"),
    CONV2D_TRANSPOSE(0x0013, "conv2d_transpose"),
    NNIL_UNARY_METHOD(0x0014, "nnil_unary_method"),
    CPU_CONV2D(0x1001, "cpu_conv2d"),
    CPU_DEPTHWISE_CONV2D(0x1002, "cpu_depthwise_conv2d"),
    CPU_REDUCE_WINDOW2D(0x1003, "cpu_reduce_window2d"),
    CPU_QUANTIZED_CONV2D(0x1004, "cpu_quantized_conv2d"),
    CPU_QUANTIZED_DEPTHWISE_CONV2D(0x1005, "cpu_quantized_depthwise_conv2d"),
    KPU_UPLOAD(0x2001, "kpu_upload"),
    KPU_CONV2D(0x2002, "kpu_conv2d");

    private final int code;
    private final String spelling;

    V4Opcode(int code, String spelling) {
        this.code = code;
        this.spelling = spelling;
    }

    public int code() {
        return code;
    }

    /** The name as in runtime_op.def, e.g. {@code kpu_conv2d}. */
    public String spelling() {
        return spelling;
    }

    /** The opcode for a stored value, or {@code null} when the runtime would say "Unknown opcode". */
    public static V4Opcode ofCode(long code) {
        for (V4Opcode o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        return null;
    }

    /** The opcode for a spelling, or {@code null}. */
    public static V4Opcode ofSpelling(String s) {
        for (V4Opcode o : values()) {
            if (o.spelling.equals(s)) {
                return o;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return spelling;
    }
}
