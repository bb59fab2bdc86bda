package k210studio.kpu.kmodel.v4.body;

/** cpu_quantized_conv2d (0x1004, 112 B + weights u8 + bias i32[oc]): NHWC uint8 convolution, runtime only (§8). */
public record CpuQuantizedConv2dBody(MemoryRange input, MemoryRange output, Shape4 inShape, int outChannels, Padding paddingH, Padding paddingW, int filterH, int filterW, int strideH, int strideW, int dilationH, int dilationW, int inputOffset, int filterOffset, int outputMul, int outputShift, int outputOffset, Bytes weights, Ints bias) implements V4Body, CpuWindowBody {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.CPU_QUANTIZED_CONV2D;
    }
}
