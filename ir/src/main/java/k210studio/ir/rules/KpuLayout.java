package k210studio.ir.rules;

/**
 * Footprint of a uint8 feature map in the 2 MiB KPU RAM, which the KPU addresses in 64-byte
 * lines ({@code kpu-arith.md} §1.2–1.3, nncase 0.2 {@code get_kpu_rows}, rc5 {@code GetOrAllocateKPUMemory}).
 * From the width: W ≤ 16 → g = 4 channels share a line, row_len = 1; 16 < W ≤ 32 → g = 2,
 * row_len = 1; W > 32 → g = 1, row_len = ceil(W / 64).
 * {@code lines = row_len · H · ceil(C / min(C, g))}, bytes = 64 · lines.
 */
public final class KpuLayout {
    /** The KPU RAM: 2 MiB. */
    public static final long KPU_RAM_BYTES = 2L * 1024 * 1024;
    public static final int LINE_BYTES = 64;

    private KpuLayout() {
    }

    /** Channels packed into one 64-byte line for a row of width {@code w}. */
    public static int groups(int w) {
        if (w <= 16) {
            return 4;
        }
        if (w <= 32) {
            return 2;
        }
        return 1;
    }

    /** 64-byte lines per row of one channel block. */
    public static int rowLen(int w) {
        return w <= 32 ? 1 : (w + 63) / 64;
    }

    public static long lines(int w, int h, int c) {
        if (w < 1 || h < 1 || c < 1) {
            throw new IllegalArgumentException("feature map " + w + "×" + h + "×" + c + " must be positive");
        }
        int g = Math.min(c, groups(w));
        long blocks = (c + g - 1) / g;
        return (long) rowLen(w) * h * blocks;
    }

    /** Bytes a W×H×C map occupies in KPU RAM. */
    public static long bytes(int w, int h, int c) {
        return LINE_BYTES * lines(w, h, c);
    }
}
