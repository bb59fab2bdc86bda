package k210studio.kpu.chip;

import k210studio.kpu.kmodel.KpuRules;

/**
 * The portable conv kernel: stages {@link KpuInputStage} → {@link KpuDotProducts} (plain int loops that
 * HotSpot C2 auto-vectorises) → {@link KpuBnActivation}. Used when the JDK's vector module is not
 * available, and as the reference the vector kernel is tested against.
 */
final class KpuScalarKernel implements KpuConvKernel {
    /** Ints of tap data a pixel tile of the GEMM may span (all virtual channels), to stay in L2. */
    private static final int TILE_BUDGET_INTS = 64 * 1024;
    /** Below this many grid positions the GEMM is vectorised over output channels instead of pixels. */
    private static final int PIXEL_VECTOR_MIN = 128;

    private final KpuWork work;
    private final KpuInputStage input;

    KpuScalarKernel(KpuWork work, KpuInputStage input) {
        this.work = work;
        this.input = input;
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void compute(KpuLayerArgument layer, KpuConvData data, KpuPreparedWeights prep, KpuRules rules, KpuGrid g,
            byte[] activated) {
        final int c = layer.inputChannels();
        final int w = layer.inputWidth();
        final int k = layer.kernelSize();
        final int k2 = k * k;
        final int oc = layer.outputChannels();
        final int n = g.n;
        final KpuBnActivation epi = new KpuBnActivation(layer, data, prep, rules, activated, n);
        final int argX = layer.argX();
        final int shrX = layer.shrX();
        if (layer.depthwise()) {
            depthwise(layer, prep, g, epi);
            return;
        }
        final int kTotal = c * k2;
        final int[][] tp = input.tapMatrix(c, w, k, g);
        final long[] xt = input.xTerms(tp, kTotal, n, argX, shrX);
        long macs = (long) oc * n * kTotal;
        if (n >= PIXEL_VECTOR_MIN || oc < 64) {
            // vectorise over pixels: acc[i] += Σ_k w[o][k]·tap_k[i]
            final int tile = Math.max(256, Math.min(n, TILE_BUDGET_INTS / Math.max(1, kTotal) / 64 * 64));
            work.forRange(oc, macs, (from, to) -> {
                int[] acc = KpuWork.scratch(0, n);
                int[] accHi = prep.hi == null ? null : KpuWork.scratch(1, n);
                for (int i0 = 0; i0 < n; i0 += tile) {
                    int i1 = Math.min(n, i0 + tile);
                    for (int o = from; o < to; o++) {
                        KpuDotProducts.gemmRow(tp, kTotal, prep.lo, o * kTotal, acc, i0, i1);
                        if (accHi != null) {
                            KpuDotProducts.gemmRow(tp, kTotal, prep.hi, o * kTotal, accHi, i0, i1);
                        }
                        epi.channel(o, acc, accHi, xt, i0, i1);
                    }
                }
            });
        } else {
            // few pixels, many channels: vectorise over output channels per pixel
            final int[][] wLo = prep.transposed(false, oc, kTotal);
            final int[][] wHi = prep.hi == null ? null : prep.transposed(true, oc, kTotal);
            work.forRange(n, macs, (from, to) -> {
                int[] xv = KpuWork.scratch(2, kTotal);
                int[] acc = KpuWork.scratch(0, oc);
                int[] accHi = wHi == null ? null : KpuWork.scratch(1, oc);
                for (int i = from; i < to; i++) {
                    for (int kk = 0; kk < kTotal; kk++) {
                        xv[kk] = tp[kk][i];
                    }
                    KpuDotProducts.gemmColumn(wLo, kTotal, xv, acc, oc);
                    if (accHi != null) {
                        KpuDotProducts.gemmColumn(wHi, kTotal, xv, accHi, oc);
                    }
                    epi.pixel(i, acc, accHi, xt[i], oc);
                }
            });
        }
    }

    /** Depthwise conv + BN + activation: per channel its k² taps on the grid, their sum and dot product. */
    void depthwise(KpuLayerArgument layer, KpuPreparedWeights prep, KpuGrid g, KpuBnActivation epi) {
        final int w = layer.inputWidth();
        final int k = layer.kernelSize();
        final int k2 = k * k;
        final int wp = k == 3 ? w + 2 : w;
        final int oc = layer.outputChannels();
        final int n = g.n;
        final int argX = layer.argX();
        final int shrX = layer.shrX();
        final int[][] pl = input.planes;
        work.forRange(oc, (long) oc * n * k2, (from, to) -> {
            int[][] t = new int[k2][];
            for (int tap = 0; tap < k2; tap++) {
                t[tap] = KpuWork.scratch(3 + tap, n);
            }
            int[] acc = KpuWork.scratch(0, n);
            int[] accHi = prep.hi == null ? null : KpuWork.scratch(1, n);
            int[] box = KpuWork.scratch(2, n);
            long[] xt = KpuWork.scratchLong(n);
            for (int o = from; o < to; o++) {
                for (int tap = 0; tap < k2; tap++) {
                    KpuInputStage.buildTap(pl[o], wp, tap / k, tap % k, g, t[tap]);
                }
                KpuDotProducts.sumTaps(t, k2, box, n);
                KpuInputStage.xTerms(box, xt, n, argX, shrX);
                KpuDotProducts.dotTaps(t, k2, prep.lo, o * k2, acc, n);
                if (accHi != null) {
                    KpuDotProducts.dotTaps(t, k2, prep.hi, o * k2, accHi, n);
                }
                epi.channel(o, acc, accHi, xt, 0, n);
            }
        });
    }
}
