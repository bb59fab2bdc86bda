package k210studio.kpu.kmodel.v3;

/** QUANTIZE (11), 24 bytes: f32 to u8, q = clamp(roundf((x - bias) / scale), 0, 255). */
public record QuantizeBody(long flags, long in, long out, long count, float scale, float bias) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.QUANTIZE;
    }
}
