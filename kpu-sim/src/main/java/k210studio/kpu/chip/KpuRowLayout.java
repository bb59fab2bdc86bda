package k210studio.kpu.chip;

/**
 * How a uint8 feature map of a given width is laid out in KPU RAM (kpu-arith.md §1.2–§1.3,
 * kmodel-v3.md §6.1): {@code groups} channels share one 64-byte line (the same row y of g consecutive
 * channels, {@code rowPitch} bytes apart), each row takes {@code rowLen} lines.
 *
 * <pre>
 *   W ≤ 16      → groups 4, rowLen 1, rowPitch 16
 *   16 < W ≤ 32 → groups 2, rowLen 1, rowPitch 32
 *   W > 32      → groups 1, rowLen ceil(W/64), rowPitch 64
 * </pre>
 */
public record KpuRowLayout(int width, int groups, int rowLen, int rowPitch) {

    /** The layout for a width 1..1024. */
    public static KpuRowLayout forWidth(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("feature-map width must be >= 1, got " + width);
        }
        if (width <= 16) {
            return new KpuRowLayout(width, 4, 1, 16);
        }
        if (width <= 32) {
            return new KpuRowLayout(width, 2, 1, 32);
        }
        return new KpuRowLayout(width, 1, (width + 63) / 64, 64);
    }

    /** Lines of one channel block (channel_switch_addr): rowLen · H. */
    public int channelBlockLines(int height) {
        return rowLen * height;
    }

    /** Lines a map of H × C takes: rowLen · H · ceil(C / min(C, groups)). */
    public int lines(int height, int channels) {
        int perLine = Math.min(channels, groups);
        return rowLen * height * ((channels + perLine - 1) / perLine);
    }

    /** Bytes a map of H × C takes: 64 · {@link #lines}. */
    public long bytes(int height, int channels) {
        return (long) lines(height, channels) * KpuRam.LINE_BYTES;
    }

    /** Byte offset of element (c, y, x) from the start of the map. */
    public long offset(int c, int y, int x, int height) {
        return (long) (c / groups) * rowLen * height * KpuRam.LINE_BYTES + (long) (c % groups) * rowPitch
                + (long) y * rowLen * KpuRam.LINE_BYTES + x;
    }

    /** True when the layout equals dense CHW (W a multiple of 64). */
    public boolean isDense() {
        return width % 64 == 0;
    }
}
