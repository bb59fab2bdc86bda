package k210studio.converter.tflite;

import java.util.Arrays;

/**
 * A model input or output as the original TFLite file declares it, so data can be fed and read
 * the way the file expects.
 *
 * @param name      TFLite tensor name
 * @param layerId   the graph layer that holds it (the Input layer, or the producing layer of an output)
 * @param dtype     element type (FLOAT32, INT8, UINT8, ...)
 * @param shape     full TFLite shape including the batch dimension
 * @param quant     quantization parameters (null for float tensors)
 */
public record TensorInfo(String name, String layerId, TensorType dtype, int[] shape, QuantParams quant) {

    public TensorInfo {
        shape = shape.clone();
    }

    public boolean quantized() {
        return quant != null && dtype != TensorType.FLOAT32;
    }

    public float scale() {
        return quant == null ? 1f : quant.scale(0);
    }

    public long zeroPoint() {
        return quant == null ? 0 : quant.zeroPoint(0);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + (quant == null ? "" : " " + quant.describe(dtype));
    }
}
