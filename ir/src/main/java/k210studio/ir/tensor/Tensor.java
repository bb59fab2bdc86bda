package k210studio.ir.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float32 tensor with its full shape, used for weights (HWIO kernels, vectors) and
 * for activations in the float evaluator. Row-major (last dimension fastest).
 * The data array is owned by the tensor: callers must not change it after construction.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    public Tensor(int[] shape, float[] data) {
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
        this.data = data;
    }

    public static Tensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return new Tensor(shape, new float[Math.toIntExact(n)]);
    }

    public static Tensor of(int[] shape, float... data) {
        return new Tensor(shape, data);
    }

    /** Values drawn from a normal distribution of mean 0 and the given standard deviation, in order from {@code r}. */
    public static Tensor gaussian(java.util.Random r, double std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (r.nextGaussian() * std);
        }
        return t;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /** The backing array (not copied, for speed): treat as read-only. */
    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    public float get(int i) {
        return data[i];
    }

    public Tensor reshape(int... newShape) {
        return new Tensor(newShape, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
