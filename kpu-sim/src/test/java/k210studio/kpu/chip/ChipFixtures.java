package k210studio.kpu.chip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import k210studio.testing.SharedFixtures;

/**
 * Test-only minimal walkers over the real kmodel fixtures that find every KPU conv layer and its
 * tables at the offsets documented in kmodel-v3.md §2/§5.1 and kmodel-v4.md §3/§7.2.1 (the real
 * readers belong to the V3/V4 packages; this keeps the chip tests independent of them).
 */
final class ChipFixtures {
    static final List<String> V3 = List.of("kmodel/v3/iris_fc_nncase_rc5.kmodel", "kmodel/v3/mnist_maixpy.kmodel",
            "kmodel/v3/face_detect_yolov2_320x240.kmodel", "kmodel/v3/yolo20_voc_nncase_rc5.kmodel",
            "kmodel/v3/mobilenet_v1_0.75_1000cls.kmodel");
    static final List<String> V4 = List.of("kmodel/v4/nncase-v0.2.0-beta4_iris_float_1x1x1x4.kmodel",
            "kmodel/v4/nncase-v0.2.0-beta4_yolo20classes_kfpkg_3x240x320.kmodel",
            "kmodel/v4/nncase-v0.2.0-beta4_ulffd_landmark_3x240x320.kmodel",
            "kmodel/v4/nncase-v0.2.0-beta2_ulffd_ultra_face_3x240x320.kmodel",
            "pairs/nncase_model5.ncc-dev-69932ea.kmodel");

    /** One KPU conv found in a file. */
    record ConvLayer(String file, int index, int registerOffset, boolean eightBit, long weightsOffset, long bnOffset,
                     long actOffset, int batches, boolean mainMemOut, long mainMemAddress) {
        KpuLayerArgument layer(byte[] bytes) {
            return KpuLayerArgument.fromBytes(bytes, registerOffset);
        }

        KpuConvData data(byte[] bytes) throws KpuException {
            return KpuConvData.fromModelBytes(bytes, layer(bytes), eightBit, weightsOffset, bnOffset, actOffset);
        }
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(SharedFixtures.fixture(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int u32(byte[] b, long off) {
        int o = (int) off;
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
    }

    /** K210_CONV (10240) layers of a V3 file: 24-byte head with flags, main_mem_out, four file offsets. */
    static List<ConvLayer> v3Convs(String name, byte[] b) {
        boolean eightBit = (u32(b, 4) & 1) != 0;
        int layers = u32(b, 12);
        int outputs = u32(b, 24);
        long headers = 28 + 8L * outputs;
        long body = headers + 8L * layers;
        List<ConvLayer> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            int type = u32(b, headers + 8L * i);
            int size = u32(b, headers + 8L * i + 4);
            if (type == 10240) {
                int flags = u32(b, body);
                out.add(new ConvLayer(name, i, u32(b, body + 8), eightBit, u32(b, body + 12), u32(b, body + 16),
                        u32(b, body + 20), 1, (flags & 1) != 0, u32(b, body + 4) & 0xFFFFFFFFL));
            }
            body += size;
        }
        return out;
    }

    /** kpu_conv2d (0x2002) nodes of a V4 file: registers at body+24, tables after the stored gaps. */
    static List<ConvLayer> v4Convs(String name, byte[] b) {
        int constants = u32(b, 0x10);
        int nodes = u32(b, 0x18);
        int inputs = u32(b, 0x1C);
        int outputs = u32(b, 0x20);
        long headers = 0x28 + 32L * inputs + 16L * outputs + constants;
        long body = headers + 8L * nodes;
        List<ConvLayer> out = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            int op = u32(b, headers + 8L * i);
            int size = u32(b, headers + 8L * i + 4);
            if (op == 0x2002) {
                KpuLayerArgument l = KpuLayerArgument.fromBytes(b, (int) body + 24);
                long bn = body + 120 + l.bwsxBaseAddr();
                long act = bn + 8L * l.outputChannels() + l.activeAddr();
                long w = act + 144 + l.paraStartAddr();
                int mmSize = u32(b, body + 12);
                out.add(new ConvLayer(name, i, (int) body + 24, true, w, bn, act, u32(b, body + 16), mmSize != 0,
                        u32(b, body + 8) & 0xFFFFFFFFL));
            }
            body += size;
        }
        return out;
    }

    private ChipFixtures() {
    }
}
