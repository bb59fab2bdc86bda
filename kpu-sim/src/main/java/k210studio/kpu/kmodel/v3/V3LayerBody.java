package k210studio.kpu.kmodel.v3;

/**
 * The typed body of one V3 layer (kmodel-v3.md §4–§5): one record per layer type. Every body
 * starts with the u32 {@code flags} word. The layouts are declared once in {@link V3BodyLayouts};
 * the model writer adds the 8-byte trailing padding.
 */
public sealed interface V3LayerBody permits AddBody, QuantizedAddBody, GlobalAveragePool2dBody, MaxPool2dBody,
        QuantizedMaxPool2dBody, AveragePool2dBody, QuantizeBody, DequantizeBody, RequantizeBody,
        L2NormalizationBody, SoftmaxBody, ConcatBody, QuantizedConcatBody, FullyConnectedBody,
        TensorflowFlattenBody, ResizeNearestNeighborBody, QuantizedResizeNearestNeighborBody,
        ChannelwiseDequantizeBody, LogisticBody, K210ConvBody, K210AddPaddingBody, K210RemovePaddingBody,
        K210UploadBody {

    /** KLF_MAIN_MEM_OUT (bit 0 of flags): only K210_CONV acts on it. */
    long MAIN_MEM_OUT = 1;

    V3LayerType type();

    /** The body's u32 flags word. */
    long flags();
}
