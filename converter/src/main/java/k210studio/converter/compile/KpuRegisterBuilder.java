package k210studio.converter.compile;

import k210studio.kpu.chip.KpuField;
import k210studio.kpu.chip.KpuLayerArgument;

/**
 * The 12 KPU register words of a planned layer, filled as nncase's generators fill them (kmodel-v3.md §5.4,
 * kpu-arith.md §1.4): geometry and row layout of input and output, weight chunking, zero-point terms, DMA sizes.
 * The three pointer fields stay 0 (the runtime patches them; V4 stores table gaps there).
 */
public final class KpuRegisterBuilder {
    private KpuRegisterBuilder() {
    }

    public static KpuLayerArgument build(KpuConvPlan p) {
        PlannedValue in = p.input();
        PlannedValue out = p.output();
        int inRow = PlannedValue.rowLength(in.w());
        int outRow = PlannedValue.rowLength(out.w());
        return KpuLayerArgument.zero()
                .with(KpuField.DEPTH_WISE_LAYER, p.depthwise() ? 1 : 0)
                .with(KpuField.IMAGE_SRC_ADDR, in.address())
                .with(KpuField.IMAGE_DST_ADDR, out.address())
                .with(KpuField.I_CH_NUM, in.c() - 1)
                .with(KpuField.O_CH_NUM, out.c() - 1)
                .with(KpuField.O_CH_NUM_COEF, p.channelsPerLoad() - 1)
                .with(KpuField.I_ROW_WID, in.w() - 1)
                .with(KpuField.I_COL_HIGH, in.h() - 1)
                .with(KpuField.O_ROW_WID, out.w() - 1)
                .with(KpuField.O_COL_HIGH, out.h() - 1)
                .with(KpuField.KERNEL_TYPE, p.kernel() == 3 ? 1 : 0)
                .with(KpuField.POOL_TYPE, p.poolType())
                .with(KpuField.LOAD_PARA, 1)
                .with(KpuField.DMA_BURST_SIZE, 15)
                .with(KpuField.PAD_VALUE, p.offsets().padValue() & 0xFF)
                .with(KpuField.LOAD_COOR, 1)
                .with(KpuField.LOAD_TIME, p.loads() - 1)
                .with(KpuField.PARA_SIZE, p.paraSize())
                .with(KpuField.CHANNEL_SWITCH_ADDR, (long) inRow * in.h())
                .with(KpuField.ROW_SWITCH_ADDR, inRow)
                .with(KpuField.COEF_GROUP, PlannedValue.groups(in.w()))
                .with(KpuField.LOAD_ACT, 1)
                .with(KpuField.WB_CHANNEL_SWITCH_ADDR, (long) outRow * out.h())
                .with(KpuField.WB_ROW_SWITCH_ADDR, outRow)
                .with(KpuField.WB_GROUP, PlannedValue.groups(out.w()))
                .with(KpuField.SHR_W, p.offsets().shrW())
                .with(KpuField.SHR_X, p.offsets().shrX())
                .with(KpuField.ARG_W, p.offsets().argW())
                .with(KpuField.ARG_X, p.offsets().argX())
                .with(KpuField.ARG_ADD, p.offsets().argAdd())
                .with(KpuField.CHANNEL_BYTE_NUM, (long) out.w() * out.h() - 1)
                .with(KpuField.DMA_TOTAL_BYTE, (long) out.w() * out.h() * out.c() - 1);
    }
}
