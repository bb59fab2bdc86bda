package k210studio.kpu.chip;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stage 2 of the vector kernel for depthwise convs on the full grid: a k×k stencil straight on the
 * channel's plane ({@link KpuInputStage#loadPlanes}: 3×3 planes carry the pad_value border, row stride
 * w + 2). Position p = y·wp + x of the plane's row-major order is computed for every x < wp, so each
 * channel is one contiguous vector loop (the two border columns per row are computed and then
 * dropped); per position the k² taps give Σx·w (low and high weight bytes) and Σx.
 */
final class KpuVectorDepthwise {
    private static final VectorSpecies<Integer> IS = KpuVectorGemm.IS;

    private KpuVectorDepthwise() {
    }

    /** Positions computed for a channel of h rows: all of the h·wp row-major positions whose taps lie in the plane. */
    static int domain(int h, int w, int k) {
        return k == 3 ? h * (w + 2) - 2 : h * w;
    }

    /**
     * acc[p] = Σ_t lo[wb + t]·plane[p + off_t], accHi likewise with hi (when not null), box[p] = Σ_t
     * plane[p + off_t] for p < domain (box null: not computed), with off_t = ky·wp + kx.
     */
    static void channel(int[] plane, int w, int h, int k, int[] lo, int[] hi, int wb, int[] acc, int[] accHi,
            int[] box) {
        final int d = domain(h, w, k);
        if (k == 1) {
            final int w0 = lo[wb];
            final int w1 = hi == null ? 0 : hi[wb];
            for (int p = 0; p < d; p++) {
                int x = plane[p];
                acc[p] = w0 * x;
                if (box != null) {
                    box[p] = x;
                }
                if (accHi != null) {
                    accHi[p] = w1 * x;
                }
            }
            return;
        }
        final int wp = w + 2;
        final int l = IS.length();
        final int bound = d - d % l;
        final int o3 = wp;
        final int o6 = 2 * wp;
        final int a0 = lo[wb];
        final int a1 = lo[wb + 1];
        final int a2 = lo[wb + 2];
        final int a3 = lo[wb + 3];
        final int a4 = lo[wb + 4];
        final int a5 = lo[wb + 5];
        final int a6 = lo[wb + 6];
        final int a7 = lo[wb + 7];
        final int a8 = lo[wb + 8];
        int p = 0;
        for (; p < bound; p += l) {
            IntVector x0 = IntVector.fromArray(IS, plane, p);
            IntVector x1 = IntVector.fromArray(IS, plane, p + 1);
            IntVector x2 = IntVector.fromArray(IS, plane, p + 2);
            IntVector x3 = IntVector.fromArray(IS, plane, p + o3);
            IntVector x4 = IntVector.fromArray(IS, plane, p + o3 + 1);
            IntVector x5 = IntVector.fromArray(IS, plane, p + o3 + 2);
            IntVector x6 = IntVector.fromArray(IS, plane, p + o6);
            IntVector x7 = IntVector.fromArray(IS, plane, p + o6 + 1);
            IntVector x8 = IntVector.fromArray(IS, plane, p + o6 + 2);
            if (box != null) {
                x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).intoArray(box, p);
            }
            x0.mul(a0).add(x1.mul(a1)).add(x2.mul(a2)).add(x3.mul(a3)).add(x4.mul(a4)).add(x5.mul(a5))
                    .add(x6.mul(a6)).add(x7.mul(a7)).add(x8.mul(a8)).intoArray(acc, p);
            if (accHi != null) {
                x0.mul(hi[wb]).add(x1.mul(hi[wb + 1])).add(x2.mul(hi[wb + 2])).add(x3.mul(hi[wb + 3]))
                        .add(x4.mul(hi[wb + 4])).add(x5.mul(hi[wb + 5])).add(x6.mul(hi[wb + 6]))
                        .add(x7.mul(hi[wb + 7])).add(x8.mul(hi[wb + 8])).intoArray(accHi, p);
            }
        }
        for (; p < d; p++) {
            int s = 0;
            int a = 0;
            int b = 0;
            for (int t = 0; t < 9; t++) {
                int x = plane[p + (t / 3) * wp + t % 3];
                s += x;
                a += lo[wb + t] * x;
                if (hi != null) {
                    b += hi[wb + t] * x;
                }
            }
            if (box != null) {
                box[p] = s;
            }
            acc[p] = a;
            if (accHi != null) {
                accHi[p] = b;
            }
        }
    }
}
