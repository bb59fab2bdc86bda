package k210studio.kpu.kmodel.v4.body;

/** conv2d (0x02, 104 B + weights f32[oc][ic/g][kh][kw] + bias f32[oc]): float NCHW convolution (§6.3). */
public record Conv2dBody(MemoryRange input, MemoryRange output, Shape4 inShape, int groups, int outChannels, Padding paddingH, Padding paddingW, int filterH, int filterW, int strideH, int strideW, int dilationH, int dilationW, ValueRange fusedActivation, Floats weights, Floats bias) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.CONV2D;
    }
}
