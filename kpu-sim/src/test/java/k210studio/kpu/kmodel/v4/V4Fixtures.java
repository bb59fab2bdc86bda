package k210studio.kpu.kmodel.v4;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import k210studio.testing.SharedFixtures;

/** The real V4 files of ../shared/fixtures (nncase v0.2 alpha2 .. beta4 builds). */
final class V4Fixtures {
    static final String IRIS = "kmodel/v4/nncase-v0.2.0-beta4_iris_float_1x1x1x4.kmodel";
    static final String YOLO = "kmodel/v4/nncase-v0.2.0-beta4_yolo20classes_kfpkg_3x240x320.kmodel";
    static final String LANDMARK = "kmodel/v4/nncase-v0.2.0-beta4_ulffd_landmark_3x240x320.kmodel";
    static final String ULTRA_FACE = "kmodel/v4/nncase-v0.2.0-beta2_ulffd_ultra_face_3x240x320.kmodel";
    static final String MODEL5 = "pairs/nncase_model5.ncc-dev-69932ea.kmodel";
    static final List<String> ALL = List.of(IRIS, YOLO, LANDMARK, ULTRA_FACE, MODEL5);

    private V4Fixtures() {
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(SharedFixtures.fixture(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String name) {
        return SharedFixtures.fixture(name);
    }
}
