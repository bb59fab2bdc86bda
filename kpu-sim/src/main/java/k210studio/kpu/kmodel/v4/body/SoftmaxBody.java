package k210studio.kpu.kmodel.v4.body;

/** softmax (0x0B, 44 B, never emitted by ncc): exp((x - max) * beta) / sum over outer rows of inner floats (§6.11). */
public record SoftmaxBody(MemoryRange input, MemoryRange output, int innerSize, int outerSize, float beta) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.SOFTMAX;
    }
}
