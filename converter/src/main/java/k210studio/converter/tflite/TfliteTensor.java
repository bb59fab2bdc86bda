package k210studio.converter.tflite;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One tensor of a TFLite subgraph as read from the file, validated.
 *
 * @param index     its index in the subgraph
 * @param name      the tensor name (TF op path)
 * @param type      element type
 * @param shape     the static shape including the batch dimension (TFLite NHWC)
 * @param signature the shape with −1 for dynamic dimensions (equal to shape when the file has none)
 * @param data      the constant bytes (little-endian), or null for an activation
 * @param quant     quantization parameters, or null when the tensor is not quantized
 * @param sparse    the constant is stored in TFLite's sparse format (its data is not read)
 */
public record TfliteTensor(int index, String name, TensorType type, int[] shape, int[] signature, ByteBuffer data,
                           QuantParams quant, boolean sparse) {

    public boolean isConstant() {
        return data != null;
    }

    public long elements() {
        long n = 1;
        for (int d : shape) {
            n *= Math.max(d, 0);
        }
        return n;
    }

    /** True when a dimension other than the batch is unknown until run time. */
    public boolean hasDynamicShape() {
        for (int i = 1; i < signature.length; i++) {
            if (signature[i] < 0) {
                return true;
            }
        }
        return false;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
