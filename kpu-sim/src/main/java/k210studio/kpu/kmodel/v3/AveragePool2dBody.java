package k210studio.kpu.kmodel.v3;

/** AVERAGE_POOL2D (9), 64 bytes: float average over the valid taps, CHW. {@code act}: 0 linear, 1 relu, 2 relu6. */
public record AveragePool2dBody(long flags, long in, long out, V3Shape inShape, V3Shape outShape, long kernelWidth,
                        long kernelHeight, long strideWidth, long strideHeight, long padWidth, long padHeight,
                        long activation) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.AVERAGE_POOL2D;
    }
}
