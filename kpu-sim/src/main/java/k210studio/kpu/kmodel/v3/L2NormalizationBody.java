package k210studio.kpu.kmodel.v3;

/** L2_NORMALIZATION (14), 16 bytes: x / sqrt(max(sum x^2, 1e-10)) over channels f32. */
public record L2NormalizationBody(long flags, long in, long out, long channels) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.L2_NORMALIZATION;
    }
}
