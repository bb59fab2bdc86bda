package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import k210studio.kpu.kmodel.KpuRules;
import org.junit.jupiter.api.Test;

/** 16-bit weight mode (eight_bit_mode = 0): weights 0..65535 in the same equation (kpu-arith.md §3.2). */
class KpuSixteenBitTest {

    static KpuActivationTable linear(int shift) {
        List<KpuActivationSegment> s = new ArrayList<>();
        s.add(new KpuActivationSegment(KpuActivationSegment.MIN_X_START, 0, 0, 0));
        s.add(new KpuActivationSegment(0, 1, shift, 0));
        for (int i = 2; i < 16; i++) {
            s.add(new KpuActivationSegment((1L << 35) - 20 + i, 0, 0, 255));
        }
        return KpuActivationTable.of(s);
    }

    @Test
    void handComputedOneByOne() throws Exception {
        // 2 input channels 255 and 200, weights 40000 and 65535: S = 10 200 000 + 13 107 000 = 23 307 000
        // activation: round(23 307 000 / 2^17) = round(177.818) = 178
        KpuLayerArgument l = KpuLayerArgument.forShapes(4, 4, 2, 1, 1, false, KpuPoolType.BYPASS, false)
                .with(KpuField.IMAGE_DST_ADDR, 100);
        KpuConvData d = KpuConvData.sixteenBit(new short[] {(short) 40000, (short) 65535},
                new long[] {new KpuBatchNorm(1, 0, 0).toWord()}, linear(17));
        assertThat(d.isEightBit()).isFalse();
        assertThat(d.weight(1)).isEqualTo(65535);
        byte[] in = new byte[32];
        Arrays.fill(in, 0, 16, (byte) 255);
        Arrays.fill(in, 16, 32, (byte) 200);
        KpuRam ram = new KpuRam();
        ram.upload(0, in, 0, 2, 4, 4);
        byte[] out = new Kpu().runLayer(ram, l, d, KpuRules.BETA4).output();
        for (byte b : out) {
            assertThat(b & 0xFF).isEqualTo(178);
        }
    }

    @Test
    void largestSumDoesNotOverflow() throws Exception {
        // 3x3, 1024 channels, every weight 65535 and every input 255: S_xw = 255*65535*9216 = 154 014 681 600,
        // far beyond 32 bits. BN shift 15 -> 4 700 155; activation >> 15 -> 143.4 -> 143
        int c = 1024;
        KpuLayerArgument l = KpuLayerArgument.forShapes(4, 4, c, 1, 3, false, KpuPoolType.BYPASS, false)
                .with(KpuField.IMAGE_DST_ADDR, 2000).with(KpuField.PAD_VALUE, 255);
        short[] w = new short[c * 9];
        Arrays.fill(w, (short) 65535);
        KpuConvData d = KpuConvData.sixteenBit(w, new long[] {new KpuBatchNorm(1, 15, 0).toWord()}, linear(15));
        byte[] in = new byte[c * 16];
        Arrays.fill(in, (byte) 255);
        KpuRam ram = new KpuRam();
        ram.upload(0, in, 0, c, 4, 4);
        byte[] out = new Kpu().runLayer(ram, l, d, KpuRules.RC5).output();
        long s = 255L * 65535 * 9216;
        long bn = s >> 15;
        long expected = KpuActivationTable.roundRc5(bn, 15);
        assertThat(expected).isEqualTo(143);
        for (byte b : out) {
            assertThat(b & 0xFF).isEqualTo(143);
        }
        // and the same values through the 64-bit reference
        KpuRam ram2 = new KpuRam();
        ram2.upload(0, in, 0, c, 4, 4);
        assertThat(ReferenceKpu.run(ram2.bytes(), l, d, KpuRules.RC5, 1)).isEqualTo(out);
    }

    @Test
    void modelBytesAreLittleEndianU16() throws Exception {
        KpuLayerArgument l = KpuLayerArgument.forShapes(4, 4, 1, 2, 1, false, KpuPoolType.BYPASS, false);
        byte[] model = new byte[400];
        model[10] = 0x34;
        model[11] = 0x12;
        model[12] = (byte) 0xFF;
        model[13] = (byte) 0xFE;
        KpuConvData d = KpuConvData.fromModelBytes(model, l, false, 10, 100, 200);
        assertThat(d.weight(0)).isEqualTo(0x1234);
        assertThat(d.weight(1)).isEqualTo(0xFEFF);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KpuConvData.fromModelBytes(model, l, false, 398, 100, 200))
                .isInstanceOf(KpuException.class).hasMessageContaining("weights (2 x u16)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KpuConvData.fromModelBytes(model, l, false, 10, 100, 300))
                .isInstanceOf(KpuException.class).hasMessageContaining("activation table");
    }
}
