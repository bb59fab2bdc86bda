package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.KpuRules;
import org.junit.jupiter.api.Test;

/**
 * Activation table (kpu-arith.md §3.4): segment choice (beta4 strict ">", rc5 "≥") and the two
 * rounding shifts, both directly and through the whole layer pipeline.
 */
class KpuActivationTest {

    @Test
    void beta4CarryShiftIsTiesToEvenWithItsSignQuirk() {
        assertThat(KpuActivationTable.roundBeta4(5, 1)).isEqualTo(2);   // 2.5 -> 2
        assertThat(KpuActivationTable.roundBeta4(7, 1)).isEqualTo(4);   // 3.5 -> 4
        assertThat(KpuActivationTable.roundBeta4(6, 2)).isEqualTo(2);   // 1.5 -> 2
        assertThat(KpuActivationTable.roundBeta4(10, 2)).isEqualTo(2);  // 2.5 -> 2
        assertThat(KpuActivationTable.roundBeta4(5, 2)).isEqualTo(1);   // 1.25
        assertThat(KpuActivationTable.roundBeta4(7, 2)).isEqualTo(2);   // 1.75
        // the documented negative cases
        assertThat(KpuActivationTable.roundBeta4(-1, 1)).isEqualTo(-2); // -0.5 -> -2
        assertThat(KpuActivationTable.roundBeta4(-5, 2)).isEqualTo(-3); // -1.25 -> -3
        assertThat(KpuActivationTable.roundBeta4(-3, 1)).isEqualTo(-2); // -1.5 -> -2
        assertThat(KpuActivationTable.roundBeta4(123, 0)).isEqualTo(123);
    }

    @Test
    void rc5CarryShiftIsHalfUpWithItsSignQuirk() {
        assertThat(KpuActivationTable.roundRc5(5, 1)).isEqualTo(3);   // 2.5 -> 3
        assertThat(KpuActivationTable.roundRc5(7, 1)).isEqualTo(4);
        assertThat(KpuActivationTable.roundRc5(10, 2)).isEqualTo(3);  // 2.5 -> 3
        assertThat(KpuActivationTable.roundRc5(5, 2)).isEqualTo(1);
        assertThat(KpuActivationTable.roundRc5(7, 2)).isEqualTo(2);
        assertThat(KpuActivationTable.roundRc5(-3, 1)).isEqualTo(-3); // documented
        assertThat(KpuActivationTable.roundRc5(-1, 1)).isEqualTo(-2); // documented
        assertThat(KpuActivationTable.roundRc5(-4, 1)).isEqualTo(-2);
        assertThat(KpuActivationTable.roundRc5(123, 0)).isEqualTo(123);
        // for t >= 0 both agree except at exact halves
        for (long t = 0; t < 5000; t++) {
            for (int s = 1; s < 8; s++) {
                boolean half = (t & ((1L << s) - 1)) == (1L << (s - 1));
                if (!half) {
                    assertThat(KpuActivationTable.roundRc5(t, s)).isEqualTo(KpuActivationTable.roundBeta4(t, s));
                }
            }
        }
    }

    /** seg0: -2^35 mul 0 bias 0; seg1: start 100, y = round((bn-100)/2) + 10; seg2: start 200, y = bn-200 + 100. */
    static KpuActivationTable table() {
        List<KpuActivationSegment> s = new ArrayList<>();
        s.add(new KpuActivationSegment(KpuActivationSegment.MIN_X_START, 0, 0, 0));
        s.add(new KpuActivationSegment(100, 1, 1, 10));
        s.add(new KpuActivationSegment(200, 1, 0, 100));
        for (int i = 3; i < 16; i++) {
            s.add(new KpuActivationSegment((1L << 35) - 20 + i, 0, 0, 255));
        }
        return KpuActivationTable.of(s);
    }

    @Test
    void segmentChoiceAtAStartValue() {
        KpuActivationTable t = table();
        assertThat(t.selectSegment(100, KpuRules.BETA4)).isEqualTo(0);
        assertThat(t.selectSegment(100, KpuRules.RC5)).isEqualTo(1);
        assertThat(t.selectSegment(101, KpuRules.BETA4)).isEqualTo(1);
        assertThat(t.selectSegment(200, KpuRules.BETA4)).isEqualTo(1);
        assertThat(t.selectSegment(200, KpuRules.RC5)).isEqualTo(2);
        // below every start (not produced by nncase): segment 0
        assertThat(t.selectSegment(-(1L << 35), KpuRules.BETA4)).isEqualTo(0);
        assertThat(t.selectSegment(-(1L << 40), KpuRules.RC5)).isEqualTo(0);
        assertThat(t.apply(100, KpuRules.BETA4)).isEqualTo(0);
        assertThat(t.apply(100, KpuRules.RC5)).isEqualTo(10);
        assertThat(t.apply(200, KpuRules.BETA4)).isEqualTo(60);  // seg 1: 100/2 + 10
        assertThat(t.apply(200, KpuRules.RC5)).isEqualTo(100);   // seg 2
        assertThat(t.apply(105, KpuRules.BETA4)).isEqualTo(12);  // 2.5 -> 2
        assertThat(t.apply(105, KpuRules.RC5)).isEqualTo(13);    // 2.5 -> 3
        assertThat(t.apply(107, KpuRules.BETA4)).isEqualTo(14);  // 3.5 -> 4
        assertThat(t.apply(400, KpuRules.BETA4)).isEqualTo(255); // clamp
        assertThat(t.apply(-5, KpuRules.BETA4)).isEqualTo(0);
    }

    @Test
    void rulesReachThePipeline() throws Exception {
        // 1x1 identity conv: acc = x, BN mul 1 shift 0 add 0 -> bn = x; the table then decides
        KpuLayerArgument l = KpuLayerArgument.forShapes(4, 4, 1, 1, 1, false, KpuPoolType.BYPASS, true)
                .with(KpuField.IMAGE_SRC_ADDR, 0).with(KpuField.IMAGE_DST_ADDR, 10);
        KpuConvData d = KpuConvData.eightBit(new byte[] {1}, new long[] {new KpuBatchNorm(1, 0, 0).toWord()}, table());
        byte[] in = KpuWorkedExampleTest.bytes(100, 105, 107, 200, 201, 99, 0, 255, 100, 100, 100, 100, 1, 2, 3, 4);
        int[][] expected = {
            {0, 12, 14, 60, 101, 0, 0, 155, 0, 0, 0, 0, 0, 0, 0, 0},    // BETA4
            {10, 13, 14, 100, 101, 0, 0, 155, 10, 10, 10, 10, 0, 0, 0, 0} // RC5
        };
        KpuRules[] rules = {KpuRules.BETA4, KpuRules.RC5};
        for (int i = 0; i < 2; i++) {
            KpuRam ram = new KpuRam();
            ram.upload(0, in, 0, 1, 4, 4);
            byte[] out = new Kpu().runLayer(ram, l, d, rules[i]).output();
            int[] u = new int[16];
            for (int j = 0; j < 16; j++) {
                u[j] = out[j] & 0xFF;
            }
            assertThat(u).as(rules[i].name()).containsExactly(expected[i]);
        }
    }

    @Test
    void tableWordsRoundTripIncludingUnusedBits() {
        long[] w = new long[18];
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < 18; i++) {
            w[i] = r.nextLong();
        }
        KpuActivationTable t = KpuActivationTable.fromWords(w);
        assertThat(t.toWords()).isEqualTo(w);
        assertThat(KpuActivationTable.fromBytes(t.toBytes(), 0).toWords()).isEqualTo(w);
        for (int i = 0; i < 16; i++) {
            KpuActivationSegment s = t.segment(i);
            assertThat(s.toWord()).isEqualTo(w[i] & 0x0FFF_FFFF_FFFF_FFFFL);
            assertThat(s.bias()).isEqualTo((int) ((w[16 + i / 8] >>> (8 * (i % 8))) & 0xFF));
        }
    }
}
