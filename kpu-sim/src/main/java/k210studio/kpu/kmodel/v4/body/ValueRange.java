package k210studio.kpu.kmodel.v4.body;

/**
 * A fused activation {@code value_range<float>} (8 bytes): outputs are clamped to [min, max].
 * "None" is [-FLT_MAX, +FLT_MAX], ReLU [0, +FLT_MAX], ReLU6 [0, 6].
 */
public record ValueRange(float min, float max) {
    public static final int BYTES = 8;
    public static final ValueRange NONE = new ValueRange(-Float.MAX_VALUE, Float.MAX_VALUE);

    /** True when the range is the full float range (no clamping). */
    public boolean isFull() {
        return min == -Float.MAX_VALUE && max == Float.MAX_VALUE;
    }

    public float clamp(float v) {
        return Math.min(Math.max(v, min), max);
    }
}
