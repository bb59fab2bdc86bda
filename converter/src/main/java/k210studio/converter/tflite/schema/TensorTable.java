package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/**
 * Schema table {@code Tensor}: 0 shape, 1 type, 2 buffer, 3 name, 4 quantization, 5 is_variable,
 * 6 sparsity, 7 shape_signature, 8 has_rank, 9 variant_tensors.
 */
public final class TensorTable extends FbTable {
    TensorTable(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public int[] shape() throws TfliteFormatException {
        return intVector(0);
    }

    /** The TensorType enum value (0 FLOAT32, 1 FLOAT16, 2 INT32, 3 UINT8, 4 INT64, 7 INT16, 9 INT8, ...). */
    public int type() throws TfliteFormatException {
        return getByte(1, 0);
    }

    public long buffer() throws TfliteFormatException {
        return getUInt(2, 0);
    }

    public String name() throws TfliteFormatException {
        String s = string(3);
        return s == null ? "" : s;
    }

    /** The quantization parameters, or null when absent. */
    public QuantizationTable quantization() throws TfliteFormatException {
        int p = tablePos(4);
        return p < 0 ? null : new QuantizationTable(bb, p, what + " quantization");
    }

    public boolean isVariable() throws TfliteFormatException {
        return getBool(5, false);
    }

    public boolean isSparse() {
        return has(6);
    }

    /** The shape with −1 for unknown (dynamic) dimensions; empty when the file does not say. */
    public int[] shapeSignature() throws TfliteFormatException {
        return intVector(7);
    }
}
