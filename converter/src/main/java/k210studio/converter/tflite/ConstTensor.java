package k210studio.converter.tflite;

import java.util.Arrays;
import k210studio.ir.tensor.Tensor;

/**
 * A constant value met during import: weights (dequantized to float) or small integer vectors
 * (shapes, axes, paddings). {@code ints} holds the exact integer values for integer tensors
 * that carry no quantization, null otherwise.
 */
public record ConstTensor(int[] shape, float[] values, long[] ints) {

    public ConstTensor {
        shape = shape.clone();
    }

    public static ConstTensor ofInts(int[] shape, long[] ints) {
        float[] f = new float[ints.length];
        for (int i = 0; i < ints.length; i++) {
            f[i] = ints[i];
        }
        return new ConstTensor(shape, f, ints);
    }

    public int size() {
        return values.length;
    }

    public boolean isInteger() {
        return ints != null;
    }

    public Tensor toTensor() {
        return new Tensor(shape, values.clone());
    }

    /** The values as ints (exact for integer tensors). */
    public int[] intValues() {
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ints != null ? (int) ints[i] : Math.round(values[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "ConstTensor" + Arrays.toString(shape);
    }
}
