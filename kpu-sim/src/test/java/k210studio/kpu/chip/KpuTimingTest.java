package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The latency model of kpu-arith.md §7 against its own table (Sipeed, 16-bit, 128->128 3x3, 300 MHz). */
class KpuTimingTest {

    static double ms(int w, int h) {
        KpuLayerArgument l = KpuLayerArgument.forShapes(w, h, 128, 128, 3, false, KpuPoolType.BYPASS, false);
        return KpuTiming.estimate(l, false).millis(300_000_000L);
    }

    @Test
    void reproducesTheModelColumnOfTheDoc() {
        assertThat(ms(4, 4)).isCloseTo(0.36, within(0.01));
        assertThat(ms(32, 32)).isCloseTo(1.20, within(0.02));
        assertThat(ms(64, 64)).isCloseTo(3.90, within(0.04));
        assertThat(ms(256, 256)).isCloseTo(57.81, within(0.3));
        // and stays within ~10 % of the measurement for W >= 32
        assertThat(ms(128, 128)).isCloseTo(14.778, within(1.5));
    }

    @Test
    void depthwiseAndEightBitAndBatches() {
        KpuLayerArgument dw = KpuLayerArgument.forShapes(112, 112, 64, 64, 3, true, KpuPoolType.BYPASS, true);
        KpuTiming t = KpuTiming.estimate(dw, true);
        assertThat(t.computeCycles()).isEqualTo((long) Math.ceil(1.03 * 64 * 2 * 112));
        KpuLayerArgument full = KpuLayerArgument.forShapes(16, 16, 128, 128, 3, false, KpuPoolType.BYPASS, true);
        assertThat(KpuTiming.estimate(full, true).weightLoadCycles())
                .isLessThan(KpuTiming.estimate(full, false).weightLoadCycles());
        assertThat(KpuTiming.estimate(full, true, 3).totalCycles()).isEqualTo(3 * KpuTiming.estimate(full, true).totalCycles());
    }
}
