package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KpuRules;
import org.junit.jupiter.api.Test;

/** Layers the chip must refuse with a message naming the field, before touching KPU RAM. */
class KpuValidationTest {
    static final KpuLayerArgument OK = KpuLayerArgument.forShapes(8, 8, 2, 3, 3, false, KpuPoolType.MAX_2_S2, true)
            .with(KpuField.IMAGE_DST_ADDR, 100);
    static final KpuConvData DATA = KpuConvData.eightBit(new byte[2 * 3 * 9], new long[3],
            KpuWorkedExampleTest.v4Activation());

    static void refused(KpuLayerArgument l, KpuConvData d, String message) {
        assertThatThrownBy(() -> new Kpu().runLayer(new KpuRam(), l, d, KpuRules.BETA4))
                .isInstanceOf(KpuException.class).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void unknownModesAreRefused() {
        refused(OK.with(KpuField.FIRST_STRIDE, 1), DATA, "first_stride/bypass_conv/full_add/pad_type = 1/0/0/0");
        refused(OK.with(KpuField.BYPASS_CONV, 1), DATA, "hardware meaning of these modes is unknown");
        refused(OK.with(KpuField.FULL_ADD, 1), DATA, "full_add");
        refused(OK.with(KpuField.PAD_TYPE, 1), DATA, "pad_type");
        refused(OK.with(KpuField.KERNEL_TYPE, 2), DATA, "kernel_type 2 has no known meaning");
        refused(OK.with(KpuField.POOL_TYPE, 12), DATA, "pool_type 12 has no known meaning");
    }

    @Test
    void contradictionsAndTablesAreRefused() {
        refused(OK.with(KpuField.O_ROW_WID, 7), DATA, "output size 8x4");
        refused(OK.with(KpuField.COEF_GROUP, 1), DATA, "coef_group");
        refused(OK.with(KpuField.WB_GROUP, 2), DATA, "wb_group");
        refused(OK, KpuConvData.eightBit(new byte[10], new long[3], KpuWorkedExampleTest.v4Activation()),
                "10 weights given but the registers (3x3, 2 -> 3 channels) need 54");
        refused(OK, KpuConvData.eightBit(new byte[54], new long[2], KpuWorkedExampleTest.v4Activation()),
                "batch-norm table has 2 entries");
        refused(OK.with(KpuField.IMAGE_SRC_ADDR, 32767), DATA, "image_src_addr");
        refused(OK.with(KpuField.IMAGE_DST_ADDR, 32767), DATA, "past the 2 MiB KPU RAM");
    }

    @Test
    void rulesMustBeResolved() {
        assertThatThrownBy(() -> new Kpu().runLayer(new KpuRam(), OK, DATA, KpuRules.MODEL_DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KpuRules.resolve");
    }

    @Test
    void mainMemoryCopyIsBoundsChecked() throws Exception {
        KpuLayerResult r = new Kpu().runLayer(new KpuRam(), OK, DATA, KpuRules.RC5);
        byte[] main = new byte[100];
        assertThatThrownBy(() -> r.copyTo(main, 90)).isInstanceOf(KpuException.class)
                .hasMessageContaining("48 bytes at address 0x5a do not fit");
        r.copyTo(main, 52);
    }
}
