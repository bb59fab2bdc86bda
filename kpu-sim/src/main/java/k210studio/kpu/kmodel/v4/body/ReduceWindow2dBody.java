package k210studio.kpu.kmodel.v4.body;

/** reduce_window2d (0x08, 104 B): float NCHW pooling; padded taps skipped, mean divides by in-image taps (§6.8). */
public record ReduceWindow2dBody(MemoryRange input, MemoryRange output, ReduceOp op, Shape4 inShape, Padding paddingH, Padding paddingW, int filterH, int filterW, int strideH, int strideW, int dilationH, int dilationW, float initValue, ValueRange fusedActivation) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.REDUCE_WINDOW2D;
    }
}
