package k210studio.kpu.kmodel.v4.body;

/** transpose (0x0C, 64 B): out_shape[i] = in_shape[perm[i]]; element width from input.datatype (§6.12). */
public record TransposeBody(MemoryRange input, MemoryRange output, Shape4 inShape, Shape4 perm) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.TRANSPOSE;
    }
}
