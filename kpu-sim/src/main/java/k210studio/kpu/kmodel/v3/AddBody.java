package k210studio.kpu.kmodel.v3;

/** ADD (1), 20 bytes: float sum of {@code count} f32 values at in_a and in_b into out. */
public record AddBody(long flags, long inA, long inB, long out, long count) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.ADD;
    }
}
