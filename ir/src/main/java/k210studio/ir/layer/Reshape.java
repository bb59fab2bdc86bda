package k210studio.ir.layer;

import k210studio.ir.tensor.TensorShape;

/**
 * Keras Reshape(target_shape); one dimension may be −1 (inferred).
 * {@code dynamic} marks a reshape whose target is computed at run time from the input's
 * shape (TF2's SHAPE → STRIDED_SLICE → PACK → RESHAPE), which nncase cannot convert.
 */
public record Reshape(TensorShape targetShape, boolean dynamic) implements LayerParams {
    public Reshape {
        Checks.notNull("target_shape", targetShape);
        int unknown = 0;
        for (int d : targetShape.dims()) {
            if (d == -1) {
                unknown++;
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("target_shape may hold at most one -1, got " + targetShape);
        }
    }

    public static Reshape to(int... dims) {
        return new Reshape(TensorShape.of(dims), false);
    }

    public String kerasName() { return "Reshape"; }
}
