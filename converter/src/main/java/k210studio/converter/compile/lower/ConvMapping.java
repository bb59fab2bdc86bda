package k210studio.converter.compile.lower;

import k210studio.converter.compile.KpuAxisPlan;

/**
 * The KPU mapping of a conv: both axes, and how TensorFlow's down-sampling is obtained.
 *
 * @param deferStride a depthwise stride-2 conv computed at stride 1 whose down-sampling (and crop) the next 1×1 conv
 *                    performs ({@link StrideDeferral})
 * @param shiftRows   V3 odd-grid stride 2: the conv runs at stride 1 and its output is re-uploaded shifted up by this
 *                    many rows (0/1) and down-sampled by a 1×1 identity KPU layer ({@link OddGridPick})
 * @param shiftCols   the same for columns
 * @param sliceStride V4 depthwise stride 2 whose stride no 1×1 conv can take over: {@code rows}/{@code cols} plan the
 *                    conv at stride 1, and a uint8 strided slice on the CPU keeps every second row and column
 *                    ({@link StridedSliceFallback})
 */
record ConvMapping(KpuAxisPlan rows, KpuAxisPlan cols, boolean deferStride, int shiftRows, int shiftCols,
                   boolean sliceStride) {
    ConvMapping(KpuAxisPlan rows, KpuAxisPlan cols, boolean deferStride, int shiftRows, int shiftCols) {
        this(rows, cols, deferStride, shiftRows, shiftCols, false);
    }

    boolean shiftSelect() {
        return shiftRows + shiftCols > 0;
    }

    boolean needsCpu() {
        return !deferStride && !shiftSelect() && (rows.needsCpu() || cols.needsCpu());
    }

    /** Whether the CPU pads the input before the upload (TensorFlow's padding is not the KPU's). */
    boolean prePads() {
        return rows.padBefore() + rows.padAfter() + cols.padBefore() + cols.padAfter() > 0;
    }
}
