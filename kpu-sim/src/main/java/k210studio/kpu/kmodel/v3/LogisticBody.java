package k210studio.kpu.kmodel.v3;

/** LOGISTIC (25), 16 bytes: 1 / (1 + e^-x) over channels f32. */
public record LogisticBody(long flags, long in, long out, long channels) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.LOGISTIC;
    }
}
