package k210studio.kpu.kmodel.v4.body;

/** cpu_reduce_window2d (0x1003, 104 B): the reduce_window2d layout on an NHWC tensor, runtime only (§8). */
public record CpuReduceWindow2dBody(MemoryRange input, MemoryRange output, ReduceOp op, Shape4 inShape, Padding paddingH, Padding paddingW, int filterH, int filterW, int strideH, int strideW, int dilationH, int dilationW, float initValue, ValueRange fusedActivation) implements V4Body, CpuWindowBody {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.CPU_REDUCE_WINDOW2D;
    }
}
