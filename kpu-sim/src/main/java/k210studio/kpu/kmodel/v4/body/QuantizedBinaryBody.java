package k210studio.kpu.kmodel.v4.body;

/** quantized_binary (0x11, 136 B): uint8 broadcasting binary op with per-input and output fixed-point scaling (§6.17). */
public record QuantizedBinaryBody(MemoryRange inputA, MemoryRange inputB, MemoryRange output, BinaryOp op, Shape4 inAShape, Shape4 inBShape, Shape4 outShape, int inputAOffset, int inputAMul, int inputAShift, int inputBOffset, int inputBMul, int inputBShift, int outputOffset, int outputMul, int outputShift) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.QUANTIZED_BINARY;
    }
}
