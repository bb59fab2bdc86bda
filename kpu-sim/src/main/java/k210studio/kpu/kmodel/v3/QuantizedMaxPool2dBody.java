package k210studio.kpu.kmodel.v3;

/** QUANTIZED_MAX_POOL2D (8), 60 bytes: u8 max over the valid taps (starting from 0), CHW. */
public record QuantizedMaxPool2dBody(long flags, long in, long out, V3Shape inShape, V3Shape outShape,
                                     long kernelWidth, long kernelHeight, long strideWidth, long strideHeight,
                                     long padWidth, long padHeight) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.QUANTIZED_MAX_POOL2D;
    }
}
