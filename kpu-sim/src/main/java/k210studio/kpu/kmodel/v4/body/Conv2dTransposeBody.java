package k210studio.kpu.kmodel.v4.body;

/** conv2d_transpose (0x13, 116 B + weights f32 + bias f32[out C]): scatter formulation; the beta4 runtime ignores the bias (§6.19). */
public record Conv2dTransposeBody(MemoryRange input, MemoryRange output, Shape4 inShape, Shape4 outShape, int groups, Padding paddingH, Padding paddingW, int filterH, int filterW, int strideH, int strideW, int dilationH, int dilationW, ValueRange fusedActivation, Floats weights, Floats bias) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.CONV2D_TRANSPOSE;
    }
}
