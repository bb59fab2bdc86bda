package k210studio.kpu.chip;

import k210studio.kpu.kmodel.KpuRules;

/** Stage 4 of the KPU pipeline: pooling of the activated uint8 map (kpu-arith.md §3.5). */
final class KpuPooling {
    private KpuPooling() {
    }

    /**
     * Pools one h×w uint8 channel at {@code src[so..]} into an oh×ow channel at {@code dst[doff..]}
     * (kpu-arith.md §3.5).
     */
    static void pool(byte[] src, int so, int h, int w, KpuPoolType type, KpuRules rules, byte[] dst, int doff,
            int oh, int ow) {
        int stride = type.stride();
        int win = type.window();
        switch (type.op()) {
            case BYPASS:
                System.arraycopy(src, so, dst, doff, h * w);
                return;
            case SELECT: {
                int sc = type.selectColumn();
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int y = oy * stride;
                        int x = ox * stride + sc;
                        dst[doff + oy * ow + ox] = y < h && x < w ? src[so + y * w + x] : 0;
                    }
                }
                return;
            }
            case MAX:
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int m = 0;
                        for (int ky = 0; ky < win; ky++) {
                            int y = oy * stride + ky;
                            if (y >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < win; kx++) {
                                int x = ox * stride + kx;
                                if (x < w) {
                                    m = Math.max(m, src[so + y * w + x] & 0xFF);
                                }
                            }
                        }
                        dst[doff + oy * ow + ox] = (byte) m;
                    }
                }
                return;
            case MEAN: {
                boolean beta4 = rules == KpuRules.BETA4;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int sum = 0;
                        int count = 0;
                        for (int ky = 0; ky < win; ky++) {
                            int y = oy * stride + ky;
                            if (y >= h) {
                                if (!beta4) {
                                    continue;
                                }
                                y = h - 1;
                            }
                            for (int kx = 0; kx < win; kx++) {
                                int x = ox * stride + kx;
                                if (x >= w) {
                                    if (!beta4) {
                                        continue;
                                    }
                                    x = w - 1;
                                }
                                sum += src[so + y * w + x] & 0xFF;
                                count++;
                            }
                        }
                        dst[doff + oy * ow + ox] = (byte) (beta4 ? sum / (win * win) : sum / count);
                    }
                }
                return;
            }
            default:
                throw new IllegalStateException("unhandled pool op " + type.op());
        }
    }
}
