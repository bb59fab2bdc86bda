package k210studio.converter.tflite;

import k210studio.ir.tensor.Tensor;

/**
 * Feeds data to an imported model the way the original file expects and reads its outputs back.
 * The imported graph works on real (float) values; a quantized input tensor receives
 * real = scale · (q − zero point) where q is what the original model would get:
 * <ul>
 *   <li>FLOAT32 input: real = (pixel − mean) / std;</li>
 *   <li>UINT8 input: q = pixel (raw 0..255);</li>
 *   <li>INT8 input: q = pixel − 128 (the uint8 picture moved into the int8 range, as TFLite's
 *       examples do), or with {@code rawBytes} the byte reinterpreted as a signed value (for data
 *       stored as int8 bytes, e.g. tflite-micro's person test picture).</li>
 * </ul>
 * An explicit mean/std overrides the quantized path: real = (pixel − mean) / std.
 */
public final class InputEncoding {
    private InputEncoding() {
    }

    /**
     * Real input values for one model input from 0..255 samples.
     *
     * @param info     the input as the file declares it
     * @param pixels   samples in HWC order, already resized to the input's shape
     * @param mean     explicit mean, or null for the default (0 for float inputs)
     * @param std      explicit std, or null for the default (1 for float inputs)
     * @param rawBytes for INT8 inputs: reinterpret each byte as signed instead of subtracting 128
     */
    public static Tensor fromPixels(TensorInfo info, int[] pixels, Float mean, Float std, boolean rawBytes) {
        int[] shape = irShape(info);
        float[] out = new float[pixels.length];
        if (info.quantized() && mean == null && std == null) {
            float s = info.scale();
            long z = info.zeroPoint();
            for (int i = 0; i < pixels.length; i++) {
                long q;
                if (info.dtype() == TensorType.INT8) {
                    q = rawBytes ? (byte) pixels[i] : pixels[i] - 128;
                } else {
                    q = pixels[i];
                }
                out[i] = s * (q - z);
            }
        } else {
            float m = mean == null ? 0f : mean;
            float sd = std == null ? 1f : std;
            if (sd == 0f || !Float.isFinite(sd)) {
                throw new IllegalArgumentException("--std must be a non-zero number, got " + sd);
            }
            for (int i = 0; i < pixels.length; i++) {
                out[i] = (pixels[i] - m) / sd;
            }
        }
        return new Tensor(shape, out);
    }

    /**
     * Real input values from numbers given by the user: for a float input these are the values
     * themselves; for a quantized input they are the integer codes q (dequantized here).
     */
    public static Tensor fromValues(TensorInfo info, float[] values) {
        int[] shape = irShape(info);
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (values.length != n) {
            throw new IllegalArgumentException("the input '" + info.name() + "' takes " + n + " values "
                    + java.util.Arrays.toString(info.shape()) + ", got " + values.length);
        }
        float[] out = values.clone();
        if (info.quantized()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = info.scale() * (values[i] - info.zeroPoint());
            }
        }
        return new Tensor(shape, out);
    }

    /** The output's integer codes as the original model would produce them (round, clamp to the type's range). */
    public static long[] quantize(TensorInfo info, float[] real) {
        long[] q = new long[real.length];
        long lo = info.dtype() == TensorType.INT8 ? -128 : info.dtype() == TensorType.UINT8 ? 0
                : info.dtype() == TensorType.INT16 ? Short.MIN_VALUE : Integer.MIN_VALUE;
        long hi = info.dtype() == TensorType.INT8 ? 127 : info.dtype() == TensorType.UINT8 ? 255
                : info.dtype() == TensorType.INT16 ? Short.MAX_VALUE : Integer.MAX_VALUE;
        for (int i = 0; i < real.length; i++) {
            long v = Math.round(real[i] / info.scale()) + info.zeroPoint();
            q[i] = Math.max(lo, Math.min(hi, v));
        }
        return q;
    }

    /** The input's shape without the batch dimension. */
    public static int[] irShape(TensorInfo info) {
        try {
            return ImportContext.irShape(info.shape());
        } catch (UnsupportedOpException e) {
            throw new IllegalStateException(e);
        }
    }
}
