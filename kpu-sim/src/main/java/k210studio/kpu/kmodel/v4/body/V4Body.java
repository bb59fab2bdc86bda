package k210studio.kpu.kmodel.v4.body;

/**
 * The typed body of one V4 node: one record per runtime opcode of kmodel-v4.md §5. Bodies are
 * immutable; their layouts are declared once in
 * {@link k210studio.kpu.kmodel.v4.V4BodyLayouts}.
 */
public sealed interface V4Body permits BinaryBody, ConcatBody, Conv2dBody, DequantizeBody, MatmulBody, PadBody,
        QuantizeBody, ReduceBody, ReduceWindow2dBody, MemoryCopyBody, ResizeImageBody, SoftmaxBody, TransposeBody,
        StridedSliceBody, UnaryBody, QuantizedConv2dBody, QuantizedMatmulBody, QuantizedBinaryBody,
        TableLookup1dBody, Conv2dTransposeBody, NnilUnaryMethodBody, CpuConv2dBody, CpuDepthwiseConv2dBody,
        CpuReduceWindow2dBody, CpuQuantizedConv2dBody, CpuQuantizedDepthwiseConv2dBody, KpuUploadBody,
        KpuConv2dBody {

    /** The opcode this body belongs to. */
    V4Opcode opcode();
}
