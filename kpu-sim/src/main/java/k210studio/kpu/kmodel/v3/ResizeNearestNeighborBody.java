package k210studio.kpu.kmodel.v3;

/** RESIZE_NEAREST_NEIGHBOR (22), 36 bytes: f32 CHW nearest resize; src = min(floor(dst x in/out), in - 1); align_corners is stored but ignored by kpu.c. */
public record ResizeNearestNeighborBody(long flags, long in, long out, V3Shape inShape, long outWidth, long outHeight,
                        int alignCorners) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.RESIZE_NEAREST_NEIGHBOR;
    }
}
