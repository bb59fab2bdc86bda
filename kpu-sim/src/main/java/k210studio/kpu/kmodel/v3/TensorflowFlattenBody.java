package k210studio.kpu.kmodel.v3;

/** TENSORFLOW_FLATTEN (20), 24 bytes: reorders f32 from CHW to HWC (TF's NHWC flatten order). */
public record TensorflowFlattenBody(long flags, long in, long out, V3Shape shape) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.TENSORFLOW_FLATTEN;
    }
}
