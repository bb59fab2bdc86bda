package k210studio.kpu.kmodel.v3;

/** MAX_POOL2D (7), 64 bytes: float max pool, CHW (the SDK has no case for it). {@code act}: 0 linear, 1 relu, 2 relu6. */
public record MaxPool2dBody(long flags, long in, long out, V3Shape inShape, V3Shape outShape, long kernelWidth,
                        long kernelHeight, long strideWidth, long strideHeight, long padWidth, long padHeight,
                        long activation) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.MAX_POOL2D;
    }
}
