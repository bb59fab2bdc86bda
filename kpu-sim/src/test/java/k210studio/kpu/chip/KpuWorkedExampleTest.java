package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.KpuRules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * kpu-arith.md §8: a 4x4x1 input, 3x3 conv, BN, ReLU, no pool, with the register values nncase
 * beta4 (§8.2) and rc5 (§8.3) derive. Both must give 45 229 0 110 / 0 10 255 0 / 0 27 0 136 / 226 0 84 0
 * under both rule sets (no exact halves or boundary ties occur).
 */
class KpuWorkedExampleTest {
    static final byte[] INPUT = bytes(128, 200, 40, 255, 90, 170, 230, 10, 0, 140, 60, 180, 250, 30, 120, 75);
    static final byte[] WEIGHTS = bytes(163, 57, 99, 124, 255, 0, 74, 149, 202);
    static final byte[] EXPECTED = bytes(45, 229, 0, 110, 0, 10, 255, 0, 0, 27, 0, 136, 226, 0, 84, 0);

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static KpuLayerArgument baseLayer() {
        return KpuLayerArgument.forShapes(4, 4, 1, 1, 3, false, KpuPoolType.BYPASS, true)
                .with(KpuField.IMAGE_SRC_ADDR, 100)
                .with(KpuField.IMAGE_DST_ADDR, 200)
                .with(KpuField.PAD_VALUE, 128);
    }

    static KpuLayerArgument v4Layer() {
        return baseLayer().with(KpuField.ARG_X, -92).with(KpuField.SHR_X, 0).with(KpuField.ARG_W, -128)
                .with(KpuField.SHR_W, 0).with(KpuField.ARG_ADD, 105_984);
    }

    static KpuLayerArgument v3Layer() {
        return baseLayer().with(KpuField.ARG_X, -3_014_656).with(KpuField.SHR_X, 15).with(KpuField.ARG_W, -4_194_304)
                .with(KpuField.SHR_W, 15).with(KpuField.ARG_ADD, 105_984);
    }

    /** §8.2 table: x_start, bias per segment 1..15, y_mul 128, shift 20. */
    static KpuActivationTable v4Activation() {
        long[] starts = {0, 2060372, 2062414, 2064456, 2066498, 2068540, 2070582, 2072624, 2074666, 2076708, 2078750,
                2080792, 2082834, 2084876, 2086918};
        int[] biases = {0, 252, 252, 252, 252, 253, 253, 253, 253, 254, 254, 254, 254, 255, 255};
        List<KpuActivationSegment> s = new ArrayList<>();
        s.add(new KpuActivationSegment(KpuActivationSegment.MIN_X_START, 0, 0, 0));
        for (int i = 0; i < 15; i++) {
            s.add(new KpuActivationSegment(starts[i], 128, 20, biases[i]));
        }
        return KpuActivationTable.of(s);
    }

    /** §4.6 V3 fixed linear/ReLU table. */
    static KpuActivationTable v3Activation() {
        long[] starts = {-(1L << 35), -2192771912L, -1898601972L, -1604432032L, -1293919318L, -999749378L, -705579438L,
                -411409498L, -100896784L, -2840137L, 0, (1L << 35) - 16, (1L << 35) - 15, (1L << 35) - 14,
                (1L << 35) - 13, (1L << 35) - 12};
        List<KpuActivationSegment> s = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            s.add(i == 10 ? new KpuActivationSegment(0, 1024, 20, 0) : new KpuActivationSegment(starts[i], 0, 0, 0));
        }
        return KpuActivationTable.of(s);
    }

    static byte[] run(KpuLayerArgument layer, KpuConvData data, KpuRules rules) throws KpuException {
        KpuRam ram = new KpuRam();
        ram.upload(layer.imageSrcAddr(), INPUT, 0, 1, 4, 4);
        KpuLayerResult r = new Kpu().runLayer(ram, layer, data, rules);
        byte[] fromRam = ram.download(layer.imageDstAddr(), 1, 4, 4);
        assertThat(fromRam).as("KPU RAM copy equals the dense result").isEqualTo(r.output());
        return r.output();
    }

    @ParameterizedTest
    @EnumSource(value = KpuRules.class, names = {"RC5", "BETA4"})
    void v4ParametersGiveTheDocumentedOutput(KpuRules rules) throws Exception {
        KpuConvData data = KpuConvData.eightBit(WEIGHTS, new long[] {0x0F000820A913A8D4L}, v4Activation());
        assertThat(run(v4Layer(), data, rules)).containsExactly(EXPECTED);
    }

    @ParameterizedTest
    @EnumSource(value = KpuRules.class, names = {"RC5", "BETA4"})
    void v3ParametersGiveTheDocumentedOutput(KpuRules rules) throws Exception {
        KpuConvData data = KpuConvData.eightBit(WEIGHTS, new long[] {0x0F0001041502751BL}, v3Activation());
        assertThat(run(v3Layer(), data, rules)).containsExactly(EXPECTED);
    }

    @Test
    void packedWordsMatchTheDocument() {
        assertThat(v4Layer().word(9)).isEqualTo(0x00FFFFA4FFFF8000L);
        assertThat(v4Layer().word(10)).isEqualTo(0x19E00L);
        assertThat(v3Layer().word(9)).isEqualTo(0x00D20000C00000FFL);
        KpuActivationTable t = v4Activation();
        long[] w = t.toWords();
        assertThat(w[0]).isEqualTo(0x0800000000000000L);
        assertThat(w[1]).isEqualTo(0x8014L);
        assertThat(w[2]).isEqualTo(0x1F7054008014L);
        assertThat(w[15]).isEqualTo(0x1FD806008014L);
        assertThat(new KpuBatchNorm(1288404, 15, 532649).toWord()).isEqualTo(0x0F000820A913A8D4L);
        assertThat(KpuBatchNorm.fromWord(0x0F0001041502751BL)).isEqualTo(new KpuBatchNorm(161051, 15, 66581));
        KpuLayerArgument l = v4Layer();
        assertThat(l.channelSwitchAddr()).isEqualTo(4);
        assertThat(l.wbChannelSwitchAddr()).isEqualTo(4);
        assertThat(l.rowSwitchAddr()).isEqualTo(1);
        assertThat(l.coefGroup()).isEqualTo(4);
        assertThat(l.wbGroup()).isEqualTo(4);
        assertThat(l.paraSize()).isEqualTo(9);
        assertThat(l.loadTime()).isZero();
        assertThat(l.channelByteNum()).isEqualTo(15);
        assertThat(l.dmaTotalByte()).isEqualTo(15);
    }

    @Test
    void handCheckedPixelBnValues() {
        // §8.2: acc(0,0) = -4170, bn = 368688, segment 1 -> 45; §8.3: bn = 46085 -> 45
        assertThat(KpuBatchNorm.fromWord(0x0F000820A913A8D4L).apply(-4170)).isEqualTo(368_688);
        assertThat(KpuBatchNorm.fromWord(0x0F0001041502751BL).apply(-4170)).isEqualTo(46_085);
        assertThat(v4Activation().selectSegment(368_688, KpuRules.BETA4)).isEqualTo(1);
        assertThat(v4Activation().apply(368_688, KpuRules.BETA4)).isEqualTo(45);
        assertThat(v4Activation().apply(2_087_124, KpuRules.BETA4)).isEqualTo(255);
        assertThat(v3Activation().apply(46_085, KpuRules.RC5)).isEqualTo(45);
    }
}
