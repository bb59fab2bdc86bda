package k210studio.kpu.chip;

import k210studio.kpu.kmodel.KpuRules;

/**
 * A deliberately naive KPU written straight from the formulas of kpu-arith.md §1.2 and §3 (one
 * pixel at a time, 64-bit everywhere, no precomputation), used to check the optimised {@link Kpu}.
 */
final class ReferenceKpu {
    private ReferenceKpu() {
    }

    static long offset(int c, int y, int x, int w, int h) {
        int g = w <= 16 ? 4 : w <= 32 ? 2 : 1;
        int rowLen = w <= 32 ? 1 : (w + 63) / 64;
        int pitch = w <= 16 ? 16 : w <= 32 ? 32 : 64;
        return (long) (c / g) * (rowLen * h * 64L) + (long) (c % g) * pitch + (long) y * (rowLen * 64L) + x;
    }

    static long fmapBytes(int w, int h, int c) {
        int g = w <= 16 ? 4 : w <= 32 ? 2 : 1;
        int rowLen = w <= 32 ? 1 : (w + 63) / 64;
        int perLine = Math.min(c, g);
        return 64L * rowLen * h * ((c + perLine - 1) / perLine);
    }

    /** Runs the layer on a copy of {@code ram}'s bytes and returns the dense output of all batches. */
    static byte[] run(byte[] ram, KpuLayerArgument l, KpuConvData d, KpuRules rules, int batches) {
        int c = l.inputChannels();
        int h = l.inputHeight();
        int w = l.inputWidth();
        int oc = l.outputChannels();
        int k = l.kernelSize();
        int pad = k == 3 ? 1 : 0;
        boolean dw = l.depthwise();
        KpuPoolType pool = l.poolType();
        int oh = pool.outputSize(h);
        int ow = pool.outputSize(w);
        byte[] out = new byte[batches * oc * oh * ow];
        for (int n = 0; n < batches; n++) {
            long src = l.imageSrcAddr() * 64L + n * fmapBytes(w, h, c);
            int[][][] act = new int[oc][h][w];
            for (int o = 0; o < oc; o++) {
                KpuBatchNorm bn = d.bn(o);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        long sxw = 0;
                        long sx = 0;
                        long sw = 0;
                        int c0 = dw ? o : 0;
                        int c1 = dw ? o + 1 : c;
                        for (int ic = c0; ic < c1; ic++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = y + ky - pad;
                                    int ix = x + kx - pad;
                                    long xv = iy < 0 || iy >= h || ix < 0 || ix >= w ? l.padValue()
                                            : ram[(int) (src + offset(ic, iy, ix, w, h))] & 0xFF;
                                    int widx = dw ? (o * k + ky) * k + kx : ((o * c + ic) * k + ky) * k + kx;
                                    long wv = d.weight(widx);
                                    sxw += xv * wv;
                                    sx += xv;
                                    sw += wv;
                                }
                            }
                        }
                        long acc = sxw + (((long) l.argX() * sx) >> l.shrX()) + (((long) l.argW() * sw) >> l.shrW())
                                + l.argAdd() * (dw ? 1 : c);
                        long b = ((acc * bn.mul()) >> bn.shift()) + bn.add();
                        act[o][y][x] = activation(d.activation(), b, rules);
                    }
                }
            }
            for (int o = 0; o < oc; o++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        out[((n * oc + o) * oh + y) * ow + x] = (byte) pool(act[o], h, w, pool, rules, y, x);
                    }
                }
            }
        }
        return out;
    }

    static int activation(KpuActivationTable t, long bn, KpuRules rules) {
        int seg = 0;
        for (int i = 0; i < 16; i++) {
            long start = t.segment(i).xStart();
            if (rules == KpuRules.BETA4 ? bn > start : bn >= start) {
                seg = i;
            }
        }
        KpuActivationSegment s = t.segment(seg);
        long v = (bn - s.xStart()) * s.yMul();
        long r = rules == KpuRules.BETA4 ? KpuActivationTable.roundBeta4(v, s.shift())
                : KpuActivationTable.roundRc5(v, s.shift());
        return (int) Math.max(0, Math.min(255, r + s.bias()));
    }

    static int pool(int[][] a, int h, int w, KpuPoolType p, KpuRules rules, int oy, int ox) {
        int y0 = oy * p.stride();
        int x0 = ox * p.stride();
        switch (p.op()) {
            case BYPASS:
                return a[oy][ox];
            case SELECT:
                return a[y0][x0 + p.selectColumn()];
            case MAX: {
                int m = 0;
                for (int y = y0; y < Math.min(h, y0 + p.window()); y++) {
                    for (int x = x0; x < Math.min(w, x0 + p.window()); x++) {
                        m = Math.max(m, a[y][x]);
                    }
                }
                return m;
            }
            default: {
                int sum = 0;
                int count = 0;
                for (int ky = 0; ky < p.window(); ky++) {
                    for (int kx = 0; kx < p.window(); kx++) {
                        int y = y0 + ky;
                        int x = x0 + kx;
                        if (rules == KpuRules.BETA4) {
                            sum += a[Math.min(y, h - 1)][Math.min(x, w - 1)];
                            count++;
                        } else if (y < h && x < w) {
                            sum += a[y][x];
                            count++;
                        }
                    }
                }
                return rules == KpuRules.BETA4 ? sum / (p.window() * p.window()) : sum / count;
            }
        }
    }
}
