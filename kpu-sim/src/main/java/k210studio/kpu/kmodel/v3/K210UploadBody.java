package k210studio.kpu.kmodel.v3;

/** K210_UPLOAD (10243), 24 bytes: compact u8 CHW from main memory into KPU RAM row layout at kpu_out. */
public record K210UploadBody(long flags, long in, long kpuOut, long width, long height, long channels)
        implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.K210_UPLOAD;
    }
}
