package k210studio.kpu.kmodel.v3;

/** MAX_POOL2D (7), 64 bytes: float max pool, CHW (the SDK has no case for it). {@code act}: 0 linear, 1 relu, 2 relu6. */
public record MaxPool2dBody(long flags, long in, long out, V3Shape inShape, V3Shape outShape, long kernelWidth,
                        long kernelHeight, long strideWidth, long strideHeight, long padWidth, long padHeight,
                        long activation) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.MAX_POOL2D;
    }

    public void write(LeBuffer o) {
        o.u32(flags);
        o.u32(in);
        o.u32(out);
        V3Bodies.shape(o, inShape);
        V3Bodies.shape(o, outShape);
        o.u32(kernelWidth);
        o.u32(kernelHeight);
        o.u32(strideWidth);
        o.u32(strideHeight);
        o.u32(padWidth);
        o.u32(padHeight);
        o.u32(activation);
    }
}
