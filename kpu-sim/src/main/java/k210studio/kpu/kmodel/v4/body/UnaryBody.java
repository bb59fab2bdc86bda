package k210studio.kpu.kmodel.v4.body;

/** unary (0x0E, 36 B): float element-wise function (§6.14). */
public record UnaryBody(MemoryRange input, MemoryRange output, UnaryOp op) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.UNARY;
    }
}
