package k210studio.kpu.kmodel.v3;

/** K210_UPLOAD (10243), 24 bytes: compact u8 CHW from main memory into KPU RAM row layout at kpu_out. */
public record K210UploadBody(long flags, long in, long kpuOut, long width, long height, long channels)
        implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.K210_UPLOAD;
    }

    public void write(LeBuffer o) {
        o.u32(flags);
        o.u32(in);
        o.u32(kpuOut);
        o.u32(width);
        o.u32(height);
        o.u32(channels);
    }
}
