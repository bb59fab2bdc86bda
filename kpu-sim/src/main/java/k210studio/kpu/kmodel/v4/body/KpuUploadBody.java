package k210studio.kpu.kmodel.v4.body;

/** kpu_upload (0x2001, 48 B): re-lays a dense uint8 NCHW tensor out into KPU RAM (§7.1, §7.3). */
public record KpuUploadBody(MemoryRange input, MemoryRange output, Shape4 inShape) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.KPU_UPLOAD;
    }
}
