package k210studio.kpu.kmodel.v3;

/**
 * The layer type codes of kmodel V3 ({@code kpu_model_layer_type_t}, kmodel-v3.md §3), spelled as
 * the spec spells them. {@link #hasBody()} is false for codes that are only enum values (no body
 * layout exists anywhere, the SDK does not run them).
 */
public enum V3LayerType {
    INVALID(0, false),
    ADD(1, true),
    QUANTIZED_ADD(2, true),
    GLOBAL_MAX_POOL2D(3, false),
    QUANTIZED_GLOBAL_MAX_POOL2D(4, false),
    GLOBAL_AVERAGE_POOL2D(5, true),
    QUANTIZED_GLOBAL_AVERAGE_POOL2D(6, false),
    MAX_POOL2D(7, true),
    QUANTIZED_MAX_POOL2D(8, true),
    AVERAGE_POOL2D(9, true),
    QUANTIZED_AVERAGE_POOL2D(10, false),
    QUANTIZE(11, true),
    DEQUANTIZE(12, true),
    REQUANTIZE(13, true),
    L2_NORMALIZATION(14, true),
    SOFTMAX(15, true),
    CONCAT(16, true),
    QUANTIZED_CONCAT(17, true),
    FULLY_CONNECTED(18, true),
    QUANTIZED_FULLY_CONNECTED(19, false),
    TENSORFLOW_FLATTEN(20, true),
    QUANTIZED_TENSORFLOW_FLATTEN(21, false),
    RESIZE_NEAREST_NEIGHBOR(22, true),
    QUANTIZED_RESIZE_NEAREST_NEIGHBOR(23, true),
    CHANNELWISE_DEQUANTIZE(24, true),
    LOGISTIC(25, true),
    K210_CONV(10240, true),
    K210_ADD_PADDING(10241, true),
    K210_REMOVE_PADDING(10242, true),
    K210_UPLOAD(10243, true);

    private final int code;
    private final boolean hasBody;

    V3LayerType(int code, boolean hasBody) {
        this.code = code;
        this.hasBody = hasBody;
    }

    public int code() {
        return code;
    }

    /** False for the codes that have no body layout in any source (0, 3, 4, 6, 10, 19, 21). */
    public boolean hasBody() {
        return hasBody;
    }

    /** The type of a code, or null when the code is not in the enum. */
    public static V3LayerType ofCode(long code) {
        for (V3LayerType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
