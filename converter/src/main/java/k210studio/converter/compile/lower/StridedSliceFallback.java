package k210studio.converter.compile.lower;

import k210studio.converter.compile.KpuAxisPlan;

/**
 * V4 only: a depthwise stride-2 conv whose stride no 1×1 conv can take over runs at stride 1 (padded/cropped as
 * TensorFlow's stride-1 conv with the same padding), and a uint8 strided slice on the CPU keeps rows cropBefore + 2·o
 * and columns likewise — TensorFlow's stride-2 output o is its stride-1 output 2·o.
 */
final class StridedSliceFallback {
    private StridedSliceFallback() {
    }

    /** The mapping, or null when even the stride-1 conv does not fit the KPU. */
    static ConvMapping mapping(ConvSpec s) {
        int fullH = s.in().h() + s.padTop() + s.padBottom() - s.k() + 1;
        int fullW = s.in().w() + s.padLeft() + s.padRight() - s.k() + 1;
        KpuAxisPlan rows = KpuAxisPlan.of(s.in().h(), s.k(), 1, s.padTop(), s.padBottom(), fullH, false);
        KpuAxisPlan cols = KpuAxisPlan.of(s.in().w(), s.k(), 1, s.padLeft(), s.padRight(), fullW, true);
        if (rows != null && cols != null && rows.cropBefore() + 2 * (s.out().h() - 1) < rows.kpuOut()
                && cols.cropBefore() + 2 * (s.out().w() - 1) < cols.kpuOut()
                && ConvSpec.kpuInputFits(s.in().h() + rows.padBefore() + rows.padAfter(),
                        s.in().w() + cols.padBefore() + cols.padAfter())) {
            return new ConvMapping(rows, cols, false, 0, 0, true);
        }
        return null;
    }
}
