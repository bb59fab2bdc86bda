package k210studio.kpu.kmodel.v4.runtime;

/**
 * The KPU RAM row layout of a uint8 feature map of width W (kmodel-v4.md §7.3): {@code groups}
 * channels share a 64-byte line ({@code rowPitch} apart), each row takes {@code rowLen} lines.
 */
record KpuLayout(int groups, int rowLen, int rowPitch) {

    static KpuLayout forWidth(int w) {
        if (w <= 16) {
            return new KpuLayout(4, 1, 16);
        }
        if (w <= 32) {
            return new KpuLayout(2, 1, 32);
        }
        return new KpuLayout(1, (w + 63) / 64, 64);
    }

    /** Bytes of one H x C map: rowLen * H * ceil(C / min(C, groups)) * 64. */
    long bytes(int h, int c) {
        int perLine = Math.max(1, Math.min(c, groups));
        return (long) rowLen * h * ((c + perLine - 1) / perLine) * 64;
    }

    /** Byte offset of channel c, row 0, column 0. */
    long channelOrigin(int c, int h) {
        return (long) (c / groups) * rowLen * h * 64 + (long) (c % groups) * rowPitch;
    }
}
