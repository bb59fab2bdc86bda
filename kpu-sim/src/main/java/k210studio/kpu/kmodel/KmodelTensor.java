package k210studio.kpu.kmodel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An immutable typed tensor: element type, shape (outermost first) and the raw little-endian
 * bytes as they sit in K210 memory. Used for model inputs, outputs and per-layer snapshots.
 */
public final class KmodelTensor {
    private final ElementType type;
    private final int[] shape;
    private final byte[] data;

    private KmodelTensor(ElementType type, int[] shape, byte[] data) {
        this.type = type;
        this.shape = shape;
        this.data = data;
    }

    /** A tensor over a copy of raw little-endian bytes; the byte count must match the shape. */
    public static KmodelTensor ofBytes(ElementType type, int[] shape, byte[] data) {
        return ofBytes(type, shape, data, 0, data.length);
    }

    /** A tensor over a copy of {@code length} raw bytes starting at {@code offset}. */
    public static KmodelTensor ofBytes(ElementType type, int[] shape, byte[] data, int offset, int length) {
        long n = count(shape);
        if (n * type.byteSize() != length) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " and type " + type
                    + " needs " + n * type.byteSize() + " bytes, got " + length);
        }
        return new KmodelTensor(type, shape.clone(), Arrays.copyOfRange(data, offset, offset + length));
    }

    /** A FLOAT32 tensor. */
    public static KmodelTensor ofFloats(int[] shape, float[] values) {
        if (count(shape) != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count(shape)
                    + " values, got " + values.length);
        }
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return new KmodelTensor(ElementType.FLOAT32, shape.clone(), b.array());
    }

    /** A UINT8 tensor. */
    public static KmodelTensor ofUint8(int[] shape, byte[] values) {
        return ofBytes(ElementType.UINT8, shape, values);
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    public ElementType type() {
        return type;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public int elementCount() {
        return data.length / type.byteSize();
    }

    /** A copy of the raw little-endian bytes. */
    public byte[] bytes() {
        return data.clone();
    }

    public int byteSize() {
        return data.length;
    }

    /** The numeric value of element i (uint8 0..255, int8 -128..127, int32, float32). */
    public float floatAt(int i) {
        switch (type) {
            case UINT8:
                return data[i] & 0xFF;
            case INT8:
                return data[i];
            case INT32:
                return intLe(i * 4);
            case FLOAT32:
                return Float.intBitsToFloat(intLe(i * 4));
            default:
                throw new IllegalStateException(type.toString());
        }
    }

    /** All element values as floats (see {@link #floatAt}). */
    public float[] toFloatArray() {
        float[] out = new float[elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = floatAt(i);
        }
        return out;
    }

    private int intLe(int p) {
        return (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF) << 16 | (data[p + 3] & 0xFF) << 24;
    }

    /** The same bytes viewed with another shape of equal element count. */
    public KmodelTensor reshape(int... newShape) {
        if (count(newShape) != elementCount()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new KmodelTensor(type, newShape.clone(), data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KmodelTensor t && t.type == type && Arrays.equals(t.shape, shape) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape);
    }
}
