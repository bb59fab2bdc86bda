package k210studio.kpu.chip;

/**
 * The grid on which the conv is evaluated. For select pools (5, 6, 7) only the selected pixels
 * are computed (the others are discarded by the pool anyway): the grid is the pooled output and
 * grid point (gy, gx) is conv pixel (s·gy, s·gx + sc). Otherwise the grid is the full input.
 */
final class KpuGrid {
    final int gh;
    final int gw;
    final int s;
    final int sc;
    final int n;
    final boolean select;

    KpuGrid(int gh, int gw, int s, int sc, boolean select) {
        this.gh = gh;
        this.gw = gw;
        this.s = s;
        this.sc = sc;
        this.n = gh * gw;
        this.select = select;
    }

    /** The grid of a layer: the pooled output for select pools, else the full input. */
    static KpuGrid of(KpuLayerArgument layer) {
        KpuPoolType pool = layer.poolType();
        return pool.op() == KpuPoolType.Op.SELECT
                ? new KpuGrid(layer.outputHeight(), layer.outputWidth(), pool.stride(), pool.selectColumn(), true)
                : new KpuGrid(layer.inputHeight(), layer.inputWidth(), 1, 0, false);
    }
}
