package k210studio.kpu.kmodel.v4.body;

/** binary (0x00, 108 B): float element-wise a op b with numpy broadcasting, clamped to the fused activation (kmodel-v4.md §6.1). */
public record BinaryBody(MemoryRange inputA, MemoryRange inputB, MemoryRange output, BinaryOp op, Shape4 inAShape, Shape4 inBShape, Shape4 outShape, ValueRange fusedActivation) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.BINARY;
    }
}
