package k210studio.kpu.kmodel.v4.body;

/** cpu_depthwise_conv2d (0x1002, 96 B + weights f32[kh][kw][C] + bias f32[C]): NHWC float depthwise convolution, runtime only (§8). */
public record CpuDepthwiseConv2dBody(MemoryRange input, MemoryRange output, Shape4 inShape, Padding paddingH, Padding paddingW, int filterH, int filterW, int strideH, int strideW, int dilationH, int dilationW, ValueRange fusedActivation, Floats weights, Floats bias) implements V4Body, CpuWindowBody {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.CPU_DEPTHWISE_CONV2D;
    }
}
