package k210studio.converter.tflite;

import java.util.Arrays;
import java.util.Locale;

/**
 * Affine quantization of a TFLite tensor: real = scale[c] · (q − zeroPoint[c]), with c the index
 * along {@code axis} for per-channel parameters (one scale per channel), or a single pair per tensor.
 */
public record QuantParams(float[] scale, long[] zeroPoint, int axis) {

    public QuantParams {
        scale = scale.clone();
        zeroPoint = zeroPoint.clone();
    }

    public boolean perChannel() {
        return scale.length > 1;
    }

    public float scale(int channel) {
        return scale.length == 1 ? scale[0] : scale[channel];
    }

    public long zeroPoint(int channel) {
        return zeroPoint.length == 0 ? 0 : zeroPoint.length == 1 ? zeroPoint[0] : zeroPoint[channel];
    }

    /** "INT8 per-tensor scale 0.0078 zp -1" or "INT8 per-channel (axis 3, 8 channels) scale 0.0012..0.0210 zp 0". */
    public String describe(TensorType type) {
        if (!perChannel()) {
            return String.format(Locale.ROOT, "%s per-tensor scale %.6g zero point %d", type, scale[0], zeroPoint(0));
        }
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float s : scale) {
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        long zlo = Long.MAX_VALUE;
        long zhi = Long.MIN_VALUE;
        for (int i = 0; i < scale.length; i++) {
            zlo = Math.min(zlo, zeroPoint(i));
            zhi = Math.max(zhi, zeroPoint(i));
        }
        return String.format(Locale.ROOT, "%s per-channel (axis %d, %d channels) scale %.4g..%.4g zero point %s",
                type, axis, scale.length, lo, hi, zlo == zhi ? Long.toString(zlo) : zlo + ".." + zhi);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantParams q && Arrays.equals(scale, q.scale) && Arrays.equals(zeroPoint, q.zeroPoint)
                && axis == q.axis;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scale) * 31 + Arrays.hashCode(zeroPoint) + axis;
    }

    @Override
    public String toString() {
        return "QuantParams" + Arrays.toString(scale) + Arrays.toString(zeroPoint) + "@" + axis;
    }
}
