package k210studio.kpu.chip;

import java.util.Arrays;

/**
 * Stage 2 of the KPU pipeline: the exact integer dot products Σx·w of the conv as plain same-index
 * loops over int arrays that HotSpot C2 vectorises (8-bit weights: int accumulators cannot overflow;
 * 16-bit: the low and high weight bytes are two GEMMs combined in 64 bits by the next stage), plus
 * the tap sums Σx of depthwise channels.
 */
final class KpuDotProducts {
    private KpuDotProducts() {
    }

    static void addTo(int[] dst, int[] src, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] += src[i];
        }
    }

    /** box = Σ taps (at most four arrays per loop: C2 does not vectorise loops over more). */
    static void sumTaps(int[][] t, int k2, int[] box, int n) {
        if (k2 == 1) {
            System.arraycopy(t[0], 0, box, 0, n);
            return;
        }
        add4(box, t[0], t[1], t[2], t[3], n, true);
        add4(box, t[4], t[5], t[6], t[7], n, false);
        addTo(box, t[8], n);
    }

    static void add4(int[] dst, int[] p0, int[] p1, int[] p2, int[] p3, int n, boolean assign) {
        if (assign) {
            for (int i = 0; i < n; i++) {
                dst[i] = p0[i] + p1[i] + p2[i] + p3[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                dst[i] += p0[i] + p1[i] + p2[i] + p3[i];
            }
        }
    }

    /** acc = Σ_t w_t·tap_t over the k² taps of one depthwise channel. */
    static void dotTaps(int[][] t, int k2, int[] wt, int wb, int[] acc, int n) {
        if (k2 == 1) {
            int w0 = wt[wb];
            int[] t0 = t[0];
            for (int i = 0; i < n; i++) {
                acc[i] = w0 * t0[i];
            }
            return;
        }
        Arrays.fill(acc, 0, n, 0);
        mac4(acc, t[0], t[1], t[2], t[3], wt[wb], wt[wb + 1], wt[wb + 2], wt[wb + 3], 0, n);
        mac4(acc, t[4], t[5], t[6], t[7], wt[wb + 4], wt[wb + 5], wt[wb + 6], wt[wb + 7], 0, n);
        mac1(acc, t[8], wt[wb + 8], 0, n);
    }

    /** acc[i0..i1) = Σ_k wt[wb + k]·x_k[i] (4 inputs per pass; C2 vectorises the same-index loops). */
    static void gemmRow(int[][] x, int kTotal, int[] wt, int wb, int[] acc, int i0, int i1) {
        Arrays.fill(acc, i0, i1, 0);
        int k = 0;
        for (; k + 4 <= kTotal; k += 4) {
            mac4(acc, x[k], x[k + 1], x[k + 2], x[k + 3], wt[wb + k], wt[wb + k + 1], wt[wb + k + 2], wt[wb + k + 3],
                    i0, i1);
        }
        for (; k < kTotal; k++) {
            mac1(acc, x[k], wt[wb + k], i0, i1);
        }
    }

    /** acc[0..oc) = Σ_k wT[k][o]·xv[k]. */
    static void gemmColumn(int[][] wT, int kTotal, int[] xv, int[] acc, int oc) {
        Arrays.fill(acc, 0, oc, 0);
        int k = 0;
        for (; k + 4 <= kTotal; k += 4) {
            mac4(acc, wT[k], wT[k + 1], wT[k + 2], wT[k + 3], xv[k], xv[k + 1], xv[k + 2], xv[k + 3], 0, oc);
        }
        for (; k < kTotal; k++) {
            mac1(acc, wT[k], xv[k], 0, oc);
        }
    }

    static void mac4(int[] acc, int[] p0, int[] p1, int[] p2, int[] p3, int w0, int w1, int w2, int w3,
            int from, int to) {
        for (int i = from; i < to; i++) {
            acc[i] += w0 * p0[i] + w1 * p1[i] + w2 * p2[i] + w3 * p3[i];
        }
    }

    static void mac1(int[] acc, int[] p0, int w0, int from, int to) {
        for (int i = from; i < to; i++) {
            acc[i] += w0 * p0[i];
        }
    }
}
