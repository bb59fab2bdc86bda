package k210studio.ir.tensor;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Shape of one activation tensor without the batch dimension, in TensorFlow order:
 * rank 3 is H×W×C (NHWC without N), rank 1 is a plain vector.
 */
public record TensorShape(int[] dims) {

    public TensorShape {
        dims = dims.clone();
        for (int d : dims) {
            if (d < -1 || d == 0) {
                throw new IllegalArgumentException("dimension must be positive (or -1 for 'infer'), got " + Arrays.toString(dims));
            }
        }
    }

    public static TensorShape of(int... dims) {
        return new TensorShape(dims);
    }

    public static TensorShape hwc(int h, int w, int c) {
        return new TensorShape(new int[] {h, w, c});
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    public boolean isImage() {
        return dims.length == 3;
    }

    public int h() {
        requireImage();
        return dims[0];
    }

    public int w() {
        requireImage();
        return dims[1];
    }

    /** Channels: the last dimension for any rank. */
    public int c() {
        return dims[dims.length - 1];
    }

    public long elements() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    public boolean isFullyKnown() {
        for (int d : dims) {
            if (d < 0) {
                return false;
            }
        }
        return true;
    }

    private void requireImage() {
        if (dims.length != 3) {
            throw new IllegalStateException("not an H×W×C shape: " + this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorShape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** "240×320×3" */
    @Override
    public String toString() {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining("×"));
    }
}
