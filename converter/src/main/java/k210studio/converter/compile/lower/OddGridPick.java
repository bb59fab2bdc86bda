package k210studio.converter.compile.lower;

import k210studio.converter.compile.KpuAxisPlan;

/**
 * V3 only (kmodel V3 has no pad/crop layer): TensorFlow's asymmetric 'same' stride 2 samples odd rows/columns, which
 * the KPU's pool stage cannot pick. The conv runs at stride 1 on an even-sized input, and a shifted re-upload plus a
 * 1×1 identity KPU layer pick the odd grid, bit-exact ({@link KpuConvLowering}).
 */
final class OddGridPick {
    private OddGridPick() {
    }

    /** The mapping when this V3 stride-2 conv needs the odd-grid pick, else null (the general mapping applies). */
    static ConvMapping mapping(ConvSpec s) {
        int p = s.kpuPad();
        int dr = s.padTop() - p;
        int dc = s.padLeft() - p;
        if (s.stride() == 2 && (dr == -1 || dc == -1) && dr <= 0 && dc <= 0 && s.in().h() % 2 == 0
                && s.in().w() % 2 == 0 && s.out().h() == s.in().h() / 2 && s.out().w() == s.in().w() / 2
                && s.padBottom() <= p + 1 && s.padRight() <= p + 1) {
            KpuAxisPlan rows = KpuAxisPlan.of(s.in().h(), s.k(), 1, p, p, s.in().h(), false);
            KpuAxisPlan cols = KpuAxisPlan.of(s.in().w(), s.k(), 1, p, p, s.in().w(), true);
            return new ConvMapping(rows, cols, false, -dr, -dc);
        }
        return null;
    }
}
