package k210studio.converter.quant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pins the parameter derivation against the worked example of kpu-arith.md §8 (a 4×4 3×3 conv + BN + ReLU,
 * input range [−1, 1], output range [0, 3.5296471]), whose numbers were derived from nncase's code, and the
 * rc5 activation tables against the real tables inside the nncase-built fixtures (kmodel-v3.md §13).
 */
class WorkedExampleQuantTest {
    static final float[] W = {0.6f, -0.3f, 0.06f, 0.27f, 1.38f, -0.78f, -0.15f, 0.48f, 0.93f};
    static final float BIAS = 0.9f;
    static final ValueRange IN = new ValueRange(-1f, 1f);
    static final ValueRange OUT = new ValueRange(0f, 3.5296471f);

    @Test
    void v4ParametersMatchTheWorkedExample() {
        QuantParam x = QuantParam.v4(IN);
        assertThat(x.scale()).isEqualTo(127.5);
        assertThat(x.zeroPoint()).isEqualTo(128);

        KpuWeights w = KpuWeights.quantize(W, 1, 8, QuantRules.V4);
        assertThat(w.q()).containsExactly(163, 57, 99, 124, 255, 0, 74, 149, 202);
        assertThat(w.param().zeroPoint()).isEqualTo(92);
        assertThat(w.equalization()).containsExactly(1f);

        KpuConvOffsets off = KpuConvOffsets.of(3, x, w.param(), QuantRules.V4);
        assertThat(off).isEqualTo(new KpuConvOffsets(-92, 0, -128, 0, 105_984, 128));

        QuantParam y = QuantParam.v4(OUT);
        assertThat((float) y.scale()).isEqualTo(72.245186f);
        assertThat(y.zeroPoint()).isZero();

        KpuBatchNorm bn = KpuBatchNorm.v4((float) x.scale(), (float) w.param().scale(), (float) y.scale(),
                w.equalization(), new float[] {BIAS});
        assertThat(bn.mul()).containsExactly(1_288_404L);
        assertThat(bn.shift()).containsExactly(15);
        assertThat(bn.add()).containsExactly(532_649L);
        assertThat(bn.words()).containsExactly(0x0F000820A913A8D4L);

        KpuActivationTable act = KpuActivationTable.v4Fitted(y, y, 0f, Float.POSITIVE_INFINITY, v -> v, bn.sAct());
        long[] starts = {-34359738368L, 0, 2060372, 2062414, 2064456, 2066498, 2068540, 2070582, 2072624, 2074666,
            2076708, 2078750, 2080792, 2082834, 2084876, 2086918};
        int[] biases = {0, 0, 252, 252, 252, 252, 253, 253, 253, 253, 254, 254, 254, 254, 255, 255};
        for (int i = 0; i < 16; i++) {
            assertThat(act.xStart(i)).as("x_start of segment %d", i).isEqualTo(starts[i]);
            assertThat(act.bias(i)).as("bias of segment %d", i).isEqualTo(biases[i]);
            if (i > 0) {
                assertThat(act.yMul(i)).isEqualTo(128);
                assertThat(act.shift(i)).isEqualTo(20);
            }
        }
        long[] words = act.words();
        assertThat(words[0]).isEqualTo(0x0800000000000000L);
        assertThat(words[1]).isEqualTo(0x8014L);
        assertThat(words[2]).isEqualTo(0x1F7054008014L);
        assertThat(words[15]).isEqualTo(0x1FD806008014L);
    }

    @Test
    void v3ParametersMatchTheWorkedExample() {
        QuantParam x = QuantParam.v3(IN, 8);
        assertThat(x.scale()).isEqualTo(127.5);
        assertThat(x.bias()).isEqualTo(-128);

        KpuWeights w = KpuWeights.quantize(W, 1, 8, QuantRules.V3);
        assertThat(w.q()).containsExactly(163, 57, 99, 124, 255, 0, 74, 149, 202);
        assertThat(w.param().bias()).isEqualTo(-92);

        KpuConvOffsets off = KpuConvOffsets.of(3, x, w.param(), QuantRules.V3);
        assertThat(off).isEqualTo(new KpuConvOffsets(-3_014_656, 15, -4_194_304, 15, 105_984, 128));

        QuantParam y = QuantParam.v3(OUT, 8);
        assertThat(y.bias()).isZero();
        KpuBatchNorm bn = KpuBatchNorm.v3(x.scale(), w.param().scale(), y, w.equalization(), new float[] {BIAS});
        assertThat(bn.mul()).containsExactly(161_051L);
        assertThat(bn.shift()).containsExactly(15);
        assertThat(bn.add()).containsExactly(66_581L);
        assertThat(bn.words()).containsExactly(0x0F0001041502751BL);
    }

    @Test
    void v3LeakyTableEqualsTheOneNncaseWroteIntoYolo20Layer0() {
        // kmodel-v3.md §13.3: yolo20_voc_nncase_rc5.kmodel layer 0, LeakyReLU(0.1), output zero point 13
        KpuActivationTable t = KpuActivationTable.v3Leaky(0.1, 13);
        long[] starts = {-34359738368L, -119808, -119808, -109568, -99328, -89088, -78848, -68608, -58368, -48128,
            -37888, -27648, -17408, -7168, 3072, 13312};
        for (int i = 0; i < 16; i++) {
            assertThat(t.xStart(i)).as("start %d", i).isEqualTo(starts[i]);
            assertThat(t.bias(i)).as("bias %d", i).isEqualTo(i == 0 ? 0 : i == 15 ? 13 : Math.max(0, i - 2));
            assertThat(t.yMul(i)).isEqualTo(i == 0 ? 0 : i == 15 ? 1024 : 102);
        }
    }

    @Test
    void v3LinearTableIsTheFixedRc5Table() {
        KpuActivationTable t = KpuActivationTable.v3Linear();
        assertThat(t.xStart(10)).isZero();
        assertThat(t.yMul(10)).isEqualTo(1024);
        assertThat(t.shift(10)).isEqualTo(20);
        assertThat(t.xStart(11)).isEqualTo(34359738352L);
        assertThat(t.xStart(15)).isEqualTo(34359738356L);
        assertThat(t.xStart(9)).isEqualTo(-2840137L);
    }
}
