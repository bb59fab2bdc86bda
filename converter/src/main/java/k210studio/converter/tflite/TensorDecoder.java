package k210studio.converter.tflite;

import java.nio.ByteBuffer;

/**
 * Reads the constant data of a TFLite tensor as float values: FLOAT32/FLOAT16/FLOAT64 as they
 * are, integer types dequantized with their (per-tensor or per-channel) parameters, or taken as
 * plain integers when the tensor has none.
 */
public final class TensorDecoder {
    private TensorDecoder() {
    }

    public static ConstTensor decode(TfliteTensor t) throws UnsupportedOpException {
        ByteBuffer d = t.data().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        d.position(0);
        int n = (int) t.elements();
        TensorType type = t.type();
        float[] f = new float[n];
        switch (type) {
            case FLOAT32:
                for (int i = 0; i < n; i++) {
                    f[i] = d.getFloat(4 * i);
                }
                return new ConstTensor(t.shape(), f, null);
            case FLOAT16:
                for (int i = 0; i < n; i++) {
                    f[i] = halfToFloat(d.getShort(2 * i));
                }
                return new ConstTensor(t.shape(), f, null);
            case BFLOAT16:
                for (int i = 0; i < n; i++) {
                    f[i] = Float.intBitsToFloat((d.getShort(2 * i) & 0xFFFF) << 16);
                }
                return new ConstTensor(t.shape(), f, null);
            case FLOAT64:
                for (int i = 0; i < n; i++) {
                    f[i] = (float) d.getDouble(8 * i);
                }
                return new ConstTensor(t.shape(), f, null);
            case INT8: case UINT8: case INT16: case UINT16: case INT32: case UINT32: case INT64: case BOOL:
                long[] q = new long[n];
                for (int i = 0; i < n; i++) {
                    q[i] = readInt(d, type, i);
                }
                if (t.quant() == null) {
                    return ConstTensor.ofInts(t.shape(), q);
                }
                return new ConstTensor(t.shape(), dequantize(q, t.shape(), t.quant()), null);
            default:
                throw new UnsupportedOpException("the constant tensor '" + t.name() + "' has type " + type
                        + ", which the importer cannot read as numbers");
        }
    }

    static long readInt(ByteBuffer d, TensorType type, int i) {
        switch (type) {
            case INT8: return d.get(i);
            case UINT8: case BOOL: return Byte.toUnsignedInt(d.get(i));
            case INT16: return d.getShort(2 * i);
            case UINT16: return Short.toUnsignedInt(d.getShort(2 * i));
            case INT32: return d.getInt(4 * i);
            case UINT32: return Integer.toUnsignedLong(d.getInt(4 * i));
            case INT64: return d.getLong(8 * i);
            default: throw new IllegalArgumentException(type.toString());
        }
    }

    /** real = scale[c]·(q − zp[c]), c = the index along the quantized axis. */
    public static float[] dequantize(long[] q, int[] shape, QuantParams p) {
        float[] f = new float[q.length];
        if (!p.perChannel()) {
            float s = p.scale(0);
            long z = p.zeroPoint(0);
            for (int i = 0; i < q.length; i++) {
                f[i] = s * (q[i] - z);
            }
            return f;
        }
        int axis = p.axis();
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int channels = shape[axis];
        for (int i = 0; i < q.length; i++) {
            int c = (i / inner) % channels;
            f[i] = p.scale(c) * (q[i] - p.zeroPoint(c));
        }
        return f;
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat needs Java 20). */
    public static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant / 1024f / 16384f; // subnormal: mant · 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
