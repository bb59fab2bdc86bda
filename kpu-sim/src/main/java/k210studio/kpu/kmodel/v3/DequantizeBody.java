package k210studio.kpu.kmodel.v3;

/** DEQUANTIZE (12), 24 bytes: u8 to f32, x = q * scale + bias. */
public record DequantizeBody(long flags, long in, long out, long count, float scale, float bias) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.DEQUANTIZE;
    }
}
