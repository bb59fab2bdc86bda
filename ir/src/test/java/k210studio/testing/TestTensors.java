package k210studio.testing;

import java.util.Random;
import k210studio.ir.tensor.Tensor;

/** Tensors the tests build layers from. */
public final class TestTensors {
    private TestTensors() {
    }

    /** Values drawn from a normal distribution of mean 0 and the given standard deviation, in order from {@code r}. */
    public static Tensor gaussian(Random r, double std, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return new Tensor(shape, v);
    }
}
