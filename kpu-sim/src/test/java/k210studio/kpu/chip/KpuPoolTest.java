package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;

import k210studio.kpu.kmodel.KpuRules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The ten pool types of kpu-arith.md §3.5 on a hand-computed 4x4 map (and a 5x5 one for edges). */
class KpuPoolTest {
    static final byte[] IN = KpuWorkedExampleTest.bytes(
            1, 2, 3, 4,
            5, 6, 7, 8,
            9, 10, 11, 12,
            13, 14, 15, 200);

    static int[] pool(KpuPoolType t, KpuRules rules, byte[] in, int h, int w) {
        int oh = t.outputSize(h), ow = t.outputSize(w);
        byte[] out = new byte[oh * ow];
        Kpu.pool(in, 0, h, w, t, rules, out, 0, oh, ow);
        int[] r = new int[out.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = out[i] & 0xFF;
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(value = KpuRules.class, names = {"RC5", "BETA4"})
    void everyPoolTypeOnA4x4Map(KpuRules rules) {
        assertThat(pool(KpuPoolType.BYPASS, rules, IN, 4, 4)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 200);
        assertThat(pool(KpuPoolType.MAX_2_S2, rules, IN, 4, 4)).containsExactly(6, 8, 14, 200);
        // (1+2+5+6)/4 = 3.5 -> 3 ; 22/4 -> 5 ; 46/4 -> 11 ; 238/4 -> 59 (truncation)
        assertThat(pool(KpuPoolType.MEAN_2_S2, rules, IN, 4, 4)).containsExactly(3, 5, 11, 59);
        assertThat(pool(KpuPoolType.MAX_4_S4, rules, IN, 4, 4)).containsExactly(200);
        assertThat(pool(KpuPoolType.MEAN_4_S4, rules, IN, 4, 4)).containsExactly(20); // 320/16
        assertThat(pool(KpuPoolType.LEFT_TOP_2_S2, rules, IN, 4, 4)).containsExactly(1, 3, 9, 11);
        assertThat(pool(KpuPoolType.RIGHT_TOP_2_S2, rules, IN, 4, 4)).containsExactly(2, 4, 10, 12);
        assertThat(pool(KpuPoolType.LEFT_TOP_4_S4, rules, IN, 4, 4)).containsExactly(1);
        // mean 2x2 stride 1, TF 'same' (pad right/bottom): edges average the in-image values
        assertThat(pool(KpuPoolType.MEAN_2_S1, rules, IN, 4, 4)).containsExactly(
                3, 4, 5, 6,
                7, 8, 9, 10,
                11, 12, 59, 106,
                13, 14, 107, 200);
        assertThat(pool(KpuPoolType.MAX_2_S1, rules, IN, 4, 4)).containsExactly(
                6, 7, 8, 8,
                10, 11, 12, 12,
                14, 15, 200, 200,
                14, 15, 200, 200);
    }

    @Test
    void oddSizesRoundTheOutputDown() {
        byte[] in = new byte[25];
        for (int i = 0; i < 25; i++) {
            in[i] = (byte) (i * 10);
        }
        // 5x5 -> 2x2; the last row/column are dropped (floor), nncase pre-pads to avoid it
        assertThat(pool(KpuPoolType.MAX_2_S2, KpuRules.BETA4, in, 5, 5)).containsExactly(60, 80, 160, 180);
        assertThat(pool(KpuPoolType.RIGHT_TOP_2_S2, KpuRules.BETA4, in, 5, 5)).containsExactly(10, 30, 110, 130);
        assertThat(pool(KpuPoolType.MAX_4_S4, KpuRules.BETA4, in, 5, 5)).containsExactly(180);
        assertThat(KpuPoolType.MEAN_4_S4.outputSize(7)).isEqualTo(1);
    }

    @Test
    void meanStride1EdgeRuleOfBothEmulatorsAgrees() {
        // beta4 replicates the edge and divides by 4, rc5 divides the in-image sum by its count:
        // (2a+2b)/4 == (a+b)/2 and 4a/4 == a in integers, so the two rules never differ for 2x2 s1
        java.util.Random r = new java.util.Random(9);
        for (int n = 0; n < 200; n++) {
            byte[] in = new byte[5 * 7];
            r.nextBytes(in);
            assertThat(pool(KpuPoolType.MEAN_2_S1, KpuRules.RC5, in, 5, 7))
                    .isEqualTo(pool(KpuPoolType.MEAN_2_S1, KpuRules.BETA4, in, 5, 7));
        }
    }

    @Test
    void codesAndGeometry() {
        for (int code = 0; code < 10; code++) {
            assertThat(KpuPoolType.fromCodeOrNull(code).code()).isEqualTo(code);
        }
        assertThat(KpuPoolType.fromCodeOrNull(10)).isNull();
        assertThat(KpuPoolType.fromCodeOrNull(15)).isNull();
        assertThat(KpuPoolType.MEAN_2_S1.outputSize(15)).isEqualTo(15);
        assertThat(KpuPoolType.LEFT_TOP_2_S2.outputSize(15)).isEqualTo(7);
    }
}
