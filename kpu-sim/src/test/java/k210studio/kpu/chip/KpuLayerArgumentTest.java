package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Register words: decode/encode of every bitfield (kmodel-v3.md §5.4), on every real conv layer. */
class KpuLayerArgumentTest {

    @Test
    void everyV3ConvLayerRoundTripsAndIsConsistent() throws Exception {
        int count = 0;
        for (String f : ChipFixtures.V3) {
            byte[] b = ChipFixtures.bytes(f);
            for (ChipFixtures.ConvLayer c : ChipFixtures.v3Convs(f, b)) {
                checkRoundTrip(b, c);
                KpuLayerArgument l = c.layer(b);
                // V3 files store 0 in the three pointer fields (the runtime patches them)
                assertThat(l.bwsxBaseAddr()).isZero();
                assertThat(l.paraStartAddr()).isZero();
                assertThat(l.activeAddr()).isZero();
                count++;
            }
        }
        // mnist 3, face_detect 23, yolo20 16, mobilenet 28
        assertThat(count).isEqualTo(70);
    }

    @Test
    void everyV4ConvLayerRoundTripsAndIsConsistent() throws Exception {
        int count = 0;
        for (String f : ChipFixtures.V4) {
            byte[] b = ChipFixtures.bytes(f);
            for (ChipFixtures.ConvLayer c : ChipFixtures.v4Convs(f, b)) {
                checkRoundTrip(b, c);
                count++;
            }
        }
        // yolo20 16, ulffd landmark 43, ulffd ultra_face 49, model5 6
        assertThat(count).isEqualTo(114);
    }

    private static void checkRoundTrip(byte[] file, ChipFixtures.ConvLayer c) throws Exception {
        KpuLayerArgument l = c.layer(file);
        byte[] raw = java.util.Arrays.copyOfRange(file, c.registerOffset(), c.registerOffset() + 96);
        assertThat(l.toBytes()).as("%s layer %d bytes", c.file(), c.index()).isEqualTo(raw);
        assertThat(KpuLayerArgument.fromWords(l.toWords())).isEqualTo(l);
        // rebuilding every word field by field from the typed values gives the same words,
        // given the reserved bits (all zero in nncase output)
        KpuLayerArgument rebuilt = KpuLayerArgument.zero();
        for (KpuField f : KpuField.values()) {
            rebuilt = rebuilt.with(f, l.get(f));
        }
        assertThat(rebuilt.toWords()).as("%s layer %d field-by-field", c.file(), c.index()).isEqualTo(l.toWords());
        assertThat(l.reservedBits()).containsOnly(0L);
        assertThat(l.consistencyProblems()).as("%s layer %d", c.file(), c.index()).isEmpty();
        // tables load and validate against the registers
        KpuConvData d = c.data(file);
        Kpu.validate(l, d, c.batches());
        assertThat(d.weightCount()).isEqualTo(l.weightCount());
    }

    @Test
    void mnistLayer0MatchesTheDocumentedWords() {
        // kmodel-v3.md §5.4 "Check (measured)"
        byte[] b = ChipFixtures.bytes("kmodel/v3/mnist_maixpy.kmodel");
        KpuLayerArgument l = ChipFixtures.v3Convs("mnist", b).get(0).layer(b);
        assertThat(l.word(1)).isEqualTo(0x00007fac00007fe4L);
        assertThat(l.imageSrcAddr()).isEqualTo(32740);
        assertThat(l.imageDstAddr()).isEqualTo(32684);
        assertThat(l.word(4)).isEqualTo(0xf0411L);
        assertThat(l.kernelSize()).isEqualTo(3);
        assertThat(l.poolType()).isEqualTo(KpuPoolType.MAX_2_S2);
        assertThat(l.loadPara()).isTrue();
        assertThat(l.dmaBurstSize()).isEqualTo(15);
        assertThat(l.word(5)).isEqualTo(0x480001L);
        assertThat(l.loadCoor()).isTrue();
        assertThat(l.paraSize()).isEqualTo(144);
        assertThat(l.word(7)).isEqualTo(0xa001001cL);
        assertThat(l.channelSwitchAddr()).isEqualTo(28);
        assertThat(l.rowSwitchAddr()).isEqualTo(1);
        assertThat(l.coefGroup()).isEqualTo(2);
        assertThat(l.loadAct()).isTrue();
        assertThat(l.word(9)).isEqualTo(0x00c40000000000f0L);
        assertThat(l.shrX()).isEqualTo(15);
        assertThat(l.argX()).isEqualTo(-3932160);
        assertThat(l.inputWidth()).isEqualTo(28);
        assertThat(l.outputWidth()).isEqualTo(14);
    }

    @Test
    void reservedBitsSurviveDecodeAndEncode() {
        Random r = new Random(7);
        for (int n = 0; n < 200; n++) {
            long[] w = new long[12];
            for (int i = 0; i < 12; i++) {
                w[i] = r.nextLong();
            }
            KpuLayerArgument l = KpuLayerArgument.fromWords(w);
            assertThat(l.toWords()).isEqualTo(w);
            assertThat(KpuLayerArgument.fromBytes(l.toBytes(), 0).toWords()).isEqualTo(w);
            // changing one field keeps every other bit
            KpuLayerArgument m = l.with(KpuField.POOL_TYPE, 3);
            long diff = m.word(4) ^ w[4];
            assertThat(diff & ~KpuField.POOL_TYPE.mask()).isZero();
            assertThat(m.poolTypeCode()).isEqualTo(3);
        }
    }

    @Test
    void fieldsAreDisjointAndSignedFieldsSignExtend() {
        long[] used = new long[12];
        for (KpuField f : KpuField.values()) {
            assertThat(used[f.word()] & f.mask()).as(f.name()).isZero();
            used[f.word()] |= f.mask();
        }
        KpuLayerArgument l = KpuLayerArgument.zero().with(KpuField.ARG_X, -(1 << 23)).with(KpuField.ARG_W, (1 << 23) - 1)
                .with(KpuField.ARG_ADD, -(1L << 39));
        assertThat(l.argX()).isEqualTo(-(1 << 23));
        assertThat(l.argW()).isEqualTo((1 << 23) - 1);
        assertThat(l.argAdd()).isEqualTo(-(1L << 39));
        assertThat(l.word(10)).isEqualTo(1L << 39);
        assertThatThrownBy(() -> l.with(KpuField.ARG_X, 1 << 23)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("arg_x");
        assertThatThrownBy(() -> l.with(KpuField.I_CH_NUM, 1024)).hasMessageContaining("i_ch_num");
    }

    @Test
    void forShapesWritesNncaseChunking() {
        // kmodel-v4.md §7.2.2: ic 128, oc 256, 1x1 -> para_size 30720, 2 loads; ic 256, oc 512 -> 5 loads
        KpuLayerArgument a = KpuLayerArgument.forShapes(20, 15, 128, 256, 1, false, KpuPoolType.BYPASS, true);
        assertThat(a.paraSize()).isEqualTo(30720);
        assertThat(a.loadTime()).isEqualTo(1);
        KpuLayerArgument b = KpuLayerArgument.forShapes(20, 15, 256, 512, 1, false, KpuPoolType.BYPASS, true);
        assertThat(b.loadTime()).isEqualTo(4);
        List<String> none = new ArrayList<>(a.consistencyProblems());
        assertThat(none).isEmpty();
    }

    @Test
    void inconsistentRegistersAreNamed() {
        KpuLayerArgument l = KpuLayerArgument.forShapes(40, 30, 8, 8, 3, false, KpuPoolType.MAX_2_S2, true)
                .with(KpuField.O_ROW_WID, 39);
        assertThat(l.consistencyProblems()).anyMatch(s -> s.contains("output size 40x15"));
        KpuLayerArgument g = KpuLayerArgument.forShapes(40, 30, 8, 8, 3, false, KpuPoolType.BYPASS, true)
                .with(KpuField.COEF_GROUP, 4);
        assertThat(g.consistencyProblems()).anyMatch(s -> s.contains("coef_group"));
    }
}
