package k210studio.kpu.kmodel.v3;

/** K210_REMOVE_PADDING (10242), 16 bytes: out[c] = in[c x 16] (pixel (0,0) of each 4x4 channel). */
public record K210RemovePaddingBody(long flags, long in, long out, long channels) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.K210_REMOVE_PADDING;
    }
}
