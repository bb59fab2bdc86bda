package k210studio.kpu.kmodel.v3;

/** GLOBAL_AVERAGE_POOL2D (5), 20 bytes: per channel, the f32 mean of kernel_size consecutive f32. */
public record GlobalAveragePool2dBody(long flags, long in, long out, long kernelSize, long channels)
        implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.GLOBAL_AVERAGE_POOL2D;
    }
}
