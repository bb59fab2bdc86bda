package k210studio.kpu.kmodel.v4.body;

/** cpu_quantized_depthwise_conv2d (0x1005, 108 B + weights u8[kh][kw][C] + bias i32[C]): NHWC uint8 depthwise convolution, runtime only (§8). */
public record CpuQuantizedDepthwiseConv2dBody(MemoryRange input, MemoryRange output, Shape4 inShape, Padding paddingH, Padding paddingW, int filterH, int filterW, int strideH, int strideW, int dilationH, int dilationW, int inputOffset, int filterOffset, int outputMul, int outputShift, int outputOffset, Bytes weights, Ints bias) implements V4Body, CpuWindowBody {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.CPU_QUANTIZED_DEPTHWISE_CONV2D;
    }
}
