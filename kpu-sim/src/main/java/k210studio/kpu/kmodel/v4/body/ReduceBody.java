package k210studio.kpu.kmodel.v4.body;

/** reduce (0x07, 72 B): float reduction onto outShape (kept size-1 axes) starting from initValue (§6.7). */
public record ReduceBody(MemoryRange input, MemoryRange output, ReduceOp op, Shape4 inShape, Shape4 outShape, float initValue) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.REDUCE;
    }
}
