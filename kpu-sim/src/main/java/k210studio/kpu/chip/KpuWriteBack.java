package k210studio.kpu.chip;

/** Stage 5 of the KPU pipeline: the pooled dense map written to KPU RAM in the row layout of its width (kpu-arith.md §1.2, §3.6). */
final class KpuWriteBack {
    private KpuWriteBack() {
    }

    /** Writes dense CHW {@code dense[from..]} (c×h×w) at byte {@code dst} of {@code mem} in {@code layout}. */
    static void writeBack(byte[] mem, int dst, KpuRowLayout layout, byte[] dense, int from, int c, int h,
            int w) {
        writeBack(mem, dst, layout, dense, from, 0, c, h, w);
    }

    /**
     * Channels c0 &lt;= ch &lt; c1 of the dense CHW map {@code dense[from..]} (h×w each) at byte
     * {@code dst} of {@code mem} in {@code layout}; ranges of channels write disjoint bytes, so they
     * may run on different threads.
     */
    static void writeBack(byte[] mem, int dst, KpuRowLayout layout, byte[] dense, int from, int c0, int c1, int h,
            int w) {
        if (layout.isDense()) {
            System.arraycopy(dense, from + c0 * h * w, mem, dst + c0 * h * w, (c1 - c0) * h * w);
            return;
        }
        int rowBytes = layout.rowLen() * KpuRam.LINE_BYTES;
        int s = from + c0 * h * w;
        for (int ch = c0; ch < c1; ch++) {
            int co = dst + (ch / layout.groups()) * layout.rowLen() * h * KpuRam.LINE_BYTES
                    + (ch % layout.groups()) * layout.rowPitch();
            for (int y = 0; y < h; y++) {
                System.arraycopy(dense, s, mem, co + y * rowBytes, w);
                s += w;
            }
        }
    }
}
