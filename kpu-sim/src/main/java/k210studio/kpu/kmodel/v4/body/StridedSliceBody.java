package k210studio.kpu.kmodel.v4.body;

/** strided_slice (0x0D, 116 B): per-axis begin/end/strides loops; the masks are stored but not used by the runtime (§6.13). */
public record StridedSliceBody(MemoryRange input, MemoryRange output, Shape4 inShape, Shape4 begin, Shape4 end, Shape4 strides, int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.STRIDED_SLICE;
    }
}
