package k210studio.kpu.kmodel;

import java.util.List;

/**
 * What a model says about one of its inputs or outputs.
 *
 * @param name     a display name ("input", "output 0", ...)
 * @param type     element type
 * @param shape    dimensions, outermost first, in memory order (e.g. [C, H, W] for a planar
 *                 image, [N, C, H, W] for V4); empty when the file does not say
 * @param byteSize size in bytes of the tensor in memory
 * @param layout   a short word on the memory order ("CHW", "HWC", "NCHW", "flat")
 */
public record TensorDescription(String name, ElementType type, List<Integer> shape, long byteSize, String layout) {
    public TensorDescription {
        shape = List.copyOf(shape);
    }

    /** Element count from the shape, or byteSize / element size when the shape is unknown. */
    public long elementCount() {
        if (shape.isEmpty()) {
            return byteSize / type.byteSize();
        }
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
