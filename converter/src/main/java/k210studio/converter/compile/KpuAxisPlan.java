package k210studio.converter.compile;

/**
 * How one spatial axis of a TensorFlow convolution maps onto the KPU, which always computes a stride-1 conv with a
 * symmetric implicit padding p = (k − 1)/2 and down-samples by picking the top-left (or, for columns, top-right)
 * element of each 2×2 (kpu-arith.md §3.7). TensorFlow's padding (before a, after b) may need extra rows/columns of
 * zero-point padding on the CPU before the KPU ({@link #padBefore}/{@link #padAfter}) and a crop of the KPU output
 * afterwards ({@link #cropBefore}/{@link #cropAfter}), exactly as nncase 0.2's fake_kpu_conv2d transform does.
 *
 * @param padBefore   rows/columns of zero point to add before the KPU input (CPU)
 * @param padAfter    rows/columns to add after
 * @param cropBefore  KPU output rows/columns to drop at the start (CPU)
 * @param cropAfter   KPU output rows/columns to drop at the end
 * @param oddSelect   columns: pick the right element of each pair (pool type 6) instead of the left
 * @param kpuOut      size of the KPU output along this axis (after down-sampling)
 */
public record KpuAxisPlan(int padBefore, int padAfter, int cropBefore, int cropAfter, boolean oddSelect, int kpuOut) {

    /**
     * The same plan with the padded size made even (one more row/column of padding after), as nncase does whenever
     * it pads on the CPU anyway; the KPU output grows by one and is cropped again.
     */
    public KpuAxisPlan evenTotal(int in) {
        if ((in + padBefore + padAfter) % 2 == 0) {
            return this;
        }
        int kpu = (in + padBefore + padAfter + 1) / 2;
        return new KpuAxisPlan(padBefore, padAfter + 1, cropBefore, cropAfter + (kpu - kpuOut), oddSelect, kpu);
    }

    public boolean needsCpu() {
        return padBefore != 0 || padAfter != 0 || cropBefore != 0 || cropAfter != 0;
    }

    /**
     * @param in      input size (before any padding)
     * @param k       kernel size (1 or 3)
     * @param stride  1 or 2
     * @param a       TensorFlow padding before (explicit ZeroPadding2D plus the conv's own)
     * @param b       TensorFlow padding after
     * @param out     TensorFlow's output size
     * @param columns this is the width axis (may use the right-top pick)
     * @return the plan, or null when the axis cannot be mapped at all
     */
    public static KpuAxisPlan of(int in, int k, int stride, int a, int b, int out, boolean columns) {
        int p = (k - 1) / 2;
        if (stride == 1) {
            int padB = Math.max(0, a - p);
            int padA = Math.max(0, b - p);
            int cropB = Math.max(0, p - a);
            int cropA = Math.max(0, p - b);
            int kpu = in + padB + padA;
            if (kpu - cropB - cropA != out) {
                return null;
            }
            return new KpuAxisPlan(padB, padA, cropB, cropA, false, kpu);
        }
        if (stride != 2) {
            return null;
        }
        int d = a - p; // where TF's first window centre sits relative to the KPU's (in input rows)
        int padB;
        int cropB;
        boolean odd = false;
        if (d >= 0) {
            padB = d;
            cropB = 0;
        } else if (columns) {
            padB = 0;
            cropB = 0;
            odd = true;
        } else {
            padB = 1;
            cropB = 1;
        }
        int lastCentre = 2 * (out - 1 + cropB) + (odd ? 1 : 0);
        int needed = Math.max(2 * (out + cropB), lastCentre + 1);
        int padA = Math.max(0, needed - (in + padB));
        int total = in + padB + padA;
        if ((padB > 0 || padA > 0) && total % 2 != 0) {
            padA++;
            total++;
        }
        int kpu = total / 2;
        int cropA = kpu - cropB - out;
        if (cropA < 0) {
            return null;
        }
        return new KpuAxisPlan(padB, padA, cropB, cropA, odd, kpu);
    }
}
