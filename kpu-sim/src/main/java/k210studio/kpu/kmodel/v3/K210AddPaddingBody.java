package k210studio.kpu.kmodel.v3;

/** K210_ADD_PADDING (10241), 16 bytes: channels u8 values become pixel (0,0) of a 4x4 map in KPU RAM. */
public record K210AddPaddingBody(long flags, long in, long kpuOut, long channels) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.K210_ADD_PADDING;
    }
}
