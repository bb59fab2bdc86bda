package k210studio.converter.tflite.schema;

/** Member indices of the schema union {@code BuiltinOptions} for the options tables the importer reads (0 = NONE). */
public final class BuiltinOptionsType {
    private BuiltinOptionsType() {
    }

    public static final int NONE = 0;
    public static final int CONV_2D = 1;
    public static final int DEPTHWISE_CONV_2D = 2;
    public static final int POOL_2D = 5;
    public static final int FULLY_CONNECTED = 8;
    public static final int SOFTMAX = 9;
    public static final int CONCATENATION = 10;
    public static final int ADD = 11;
    public static final int RESIZE_BILINEAR = 15;
    public static final int RESHAPE = 17;
    public static final int MUL = 21;
    public static final int REDUCER = 27;
    public static final int SUB = 28;
    public static final int DIV = 29;
    public static final int MAXIMUM_MINIMUM = 39;
    public static final int SQUEEZE = 30;
    public static final int STRIDED_SLICE = 32;
    public static final int TRANSPOSE_CONV = 49;
    public static final int PACK = 59;
    public static final int RESIZE_NEAREST_NEIGHBOR = 74;
    public static final int LEAKY_RELU = 75;
}
