package k210studio.kpu.kmodel.v4.body;

/** quantized_conv2d (0x0F, 116 B + bias i32[oc] + weights u8): uint8 NCHW convolution with integer requantisation; note bias BEFORE weights (§6.15). */
public record QuantizedConv2dBody(MemoryRange input, MemoryRange output, Shape4 inShape, int groups, int outChannels, Padding paddingH, Padding paddingW, int filterH, int filterW, int strideH, int strideW, int dilationH, int dilationW, int inputOffset, int filterOffset, int outputMul, int outputShift, int outputOffset, Ints bias, Bytes weights) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.QUANTIZED_CONV2D;
    }
}
