package k210studio.kpu.chip;

/** Stage 5 of the KPU pipeline: the pooled dense map written to KPU RAM in the row layout of its width (kpu-arith.md §1.2, §3.6). */
final class KpuWriteBack {
    private KpuWriteBack() {
    }

    /** Writes dense CHW {@code dense[from..]} (c×h×w) at byte {@code dst} of {@code mem} in {@code layout}. */
    static void writeBack(byte[] mem, int dst, KpuRowLayout layout, byte[] dense, int from, int c, int h,
            int w) {
        if (layout.isDense()) {
            System.arraycopy(dense, from, mem, dst, c * h * w);
            return;
        }
        int rowBytes = layout.rowLen() * KpuRam.LINE_BYTES;
        int s = from;
        for (int ch = 0; ch < c; ch++) {
            int co = dst + (ch / layout.groups()) * layout.rowLen() * h * KpuRam.LINE_BYTES
                    + (ch % layout.groups()) * layout.rowPitch();
            for (int y = 0; y < h; y++) {
                System.arraycopy(dense, s, mem, co + y * rowBytes, w);
                s += w;
            }
        }
    }
}
