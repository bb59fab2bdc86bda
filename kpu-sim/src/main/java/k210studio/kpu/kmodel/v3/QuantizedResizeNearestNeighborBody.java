package k210studio.kpu.kmodel.v3;

/** QUANTIZED_RESIZE_NEAREST_NEIGHBOR (23), 36 bytes: u8 CHW nearest resize; src = min(floor(dst x in/out), in - 1); align_corners is stored but ignored by kpu.c. */
public record QuantizedResizeNearestNeighborBody(long flags, long in, long out, V3Shape inShape, long outWidth, long outHeight,
                        int alignCorners) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.QUANTIZED_RESIZE_NEAREST_NEIGHBOR;
    }
}
