package k210studio.kpu.kmodel.v4.body;

/** resize_image (0x0A, 61 B + 3 struct pad bytes): bilinear or nearest NCHW resize, float or uint8 (§6.10). structPad keeps the 3 pad bytes as stored (little-endian in the low 24 bits). */
public record ResizeImageBody(MemoryRange input, MemoryRange output, Shape4 inShape, int outH, int outW, ResizeMode mode, boolean alignCorners, int structPad) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.RESIZE_IMAGE;
    }
}
