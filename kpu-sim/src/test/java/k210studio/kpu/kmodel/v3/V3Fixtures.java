package k210studio.kpu.kmodel.v3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import k210studio.testing.SharedFixtures;

/** The real kmodel V3 fixtures (kmodel/v3/PROVENANCE.md). */
final class V3Fixtures {
    static final List<String> ALL = List.of("iris_fc_nncase_rc5.kmodel", "mnist_maixpy.kmodel",
            "face_detect_yolov2_320x240.kmodel", "yolo20_voc_nncase_rc5.kmodel", "mobilenet_v1_0.75_1000cls.kmodel");

    private V3Fixtures() {
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(SharedFixtures.fixture("kmodel/v3/" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static V3Model model(String name) {
        try {
            return V3Reader.read(bytes(name));
        } catch (k210studio.kpu.kmodel.KmodelFormatException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }
}
