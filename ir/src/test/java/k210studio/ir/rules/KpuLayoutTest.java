package k210studio.ir.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The 64-byte-line footprint formula of kpu-arith.md §1.2–1.3, on the doc's own worked examples. */
class KpuLayoutTest {
    @Test
    void examplesFromKpuArith() {
        assertThat(KpuLayout.lines(320, 240, 3)).isEqualTo(3600); // = dense size, W multiple of 64
        assertThat(KpuLayout.bytes(320, 240, 3)).isEqualTo(230_400);
        assertThat(KpuLayout.lines(20, 15, 125)).isEqualTo(945); // g = 2: 63 channel blocks
        assertThat(KpuLayout.bytes(20, 15, 125)).isEqualTo(60_480);
        assertThat(KpuLayout.lines(4, 4, 1024)).isEqualTo(1024); // the matmul trick: g = 4
    }

    @Test
    void rowLayoutDependsOnWidthOnly() {
        assertThat(KpuLayout.groups(16)).isEqualTo(4);
        assertThat(KpuLayout.groups(17)).isEqualTo(2);
        assertThat(KpuLayout.groups(32)).isEqualTo(2);
        assertThat(KpuLayout.groups(33)).isEqualTo(1);
        assertThat(KpuLayout.rowLen(65)).isEqualTo(2);
        // fewer channels than a line's groups: one block, not a fraction
        assertThat(KpuLayout.lines(8, 8, 1)).isEqualTo(8);
        assertThat(KpuLayout.lines(8, 8, 5)).isEqualTo(16);
    }
}
