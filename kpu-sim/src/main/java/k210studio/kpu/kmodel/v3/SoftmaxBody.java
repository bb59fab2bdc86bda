package k210studio.kpu.kmodel.v3;

/** SOFTMAX (15), 16 bytes: float softmax over channels values. */
public record SoftmaxBody(long flags, long in, long out, long channels) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.SOFTMAX;
    }
}
