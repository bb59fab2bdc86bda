package k210studio.kpu.kmodel.v4.body;

/** nnil_unary_method (0x14, 32 B + program): a per-element NNIL stack program; the program is the rest of the body span, alignment zeros included (they decode as nop) (§6.20). */
public record NnilUnaryMethodBody(MemoryRange input, MemoryRange output, Bytes program) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.NNIL_UNARY_METHOD;
    }
}
