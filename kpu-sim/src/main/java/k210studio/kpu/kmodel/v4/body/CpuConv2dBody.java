package k210studio.kpu.kmodel.v4.body;

/** cpu_conv2d (0x1001, 100 B + weights f32[oc][kh][kw][C] + bias f32[oc]): NHWC float convolution, runtime only (§8). */
public record CpuConv2dBody(MemoryRange input, MemoryRange output, Shape4 inShape, int outChannels, Padding paddingH, Padding paddingW, int filterH, int filterW, int strideH, int strideW, int dilationH, int dilationW, ValueRange fusedActivation, Floats weights, Floats bias) implements V4Body, CpuWindowBody {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.CPU_CONV2D;
    }
}
