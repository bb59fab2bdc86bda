package k210studio.converter.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import k210studio.converter.eval.EvaluationException;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.ir.tensor.Tensor;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * Corrupt, truncated or foreign files give a {@link TfliteFormatException} with a message naming
 * the problem — never another exception type, and never a hang.
 */
class TfliteMalformedInputTest {

    private static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(SharedFixtures.fixture(name));
    }

    @Test
    void emptyAndTinyFilesAreNotTfliteModels() {
        assertThatThrownBy(() -> TfliteImporter.importBytes(new byte[0], "x"))
                .isInstanceOf(TfliteFormatException.class).hasMessageContaining("not a TFLite model");
        assertThatThrownBy(() -> TfliteImporter.importBytes(new byte[7], "x"))
                .isInstanceOf(TfliteFormatException.class).hasMessageContaining("7 bytes");
    }

    @Test
    void otherFormatsAreRejectedByTheIdentifier() throws Exception {
        byte[] kmodel = fixture("kmodel/v3/iris_fc_nncase_rc5.kmodel");
        assertThatThrownBy(() -> TfliteImporter.importBytes(kmodel, "x"))
                .isInstanceOf(TfliteFormatException.class).hasMessageContaining("instead of the identifier \"TFL3\"");
        byte[] h5 = fixture("keras/tinymaix_mnist_dw.h5");
        assertThatThrownBy(() -> TfliteImporter.importBytes(h5, "x"))
                .isInstanceOf(TfliteFormatException.class).hasMessageContaining("TFL3");
        byte[] text = "hello, this is not a model at all".getBytes();
        assertThatThrownBy(() -> TfliteImporter.importBytes(text, "x")).isInstanceOf(TfliteFormatException.class);
    }

    @Test
    void wrongIdentifierIsNamed() throws Exception {
        byte[] b = fixture("tflite/nncase_iris.tflite");
        b[7] = '2';
        assertThatThrownBy(() -> TfliteImporter.importBytes(b, "x"))
                .isInstanceOf(TfliteFormatException.class).hasMessageContaining("\"TFL2\"");
    }

    @Test
    void rootOffsetOutsideTheFileIsCorrupt() throws Exception {
        byte[] b = fixture("tflite/nncase_iris.tflite");
        b[0] = (byte) 0xF0;
        b[1] = (byte) 0xFF;
        assertThatThrownBy(() -> TfliteImporter.importBytes(b, "x"))
                .isInstanceOf(TfliteFormatException.class).hasMessageContaining("root table offset");
    }

    @Test
    void everyTruncationOfSmallModelsIsReportedAsCorrupt() throws Exception {
        for (String name : new String[] {"tflite/nncase_iris.tflite", "tflite/hello_world_int8.tflite",
            "tflite/tinymaix_mnist_dw_float.tflite"}) {
            byte[] full = fixture(name);
            for (int len = 0; len < full.length; len += Math.max(1, full.length / 400)) {
                byte[] cut = Arrays.copyOf(full, len);
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> importOrFormatError(cut));
            }
        }
    }

    @Test
    void truncatedLargeModelNamesTheDamage() throws Exception {
        byte[] full = fixture("tflite/coral_mobilenet_v1_0.25_128_quant_uint8.tflite");
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        assertThatThrownBy(() -> TfliteImporter.importBytes(cut, "x"))
                .isInstanceOf(TfliteFormatException.class).hasMessageContaining("corrupt TFLite file");
    }

    /** Seeded fuzz: random byte mutations of real fixtures import or fail with a format error, within seconds. */
    @Test
    void mutatedFixturesNeverThrowAnythingElseOrHang() throws Exception {
        String[] names = {"tflite/nncase_iris.tflite", "tflite/hello_world_int8.tflite", "tflite/hello_world_float.tflite",
            "tflite/tinymaix_mnist_dw_int8.tflite", "tflite/tinymaix_mnist_dw_float.tflite", "tflite/person_detect_int8.tflite"};
        byte[][] originals = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            originals[i] = fixture(names[i]);
        }
        Random rnd = new Random(20261129L);
        int imported = 0;
        int rejected = 0;
        for (int iter = 0; iter < 600; iter++) {
            int which = rnd.nextInt(originals.length);
            byte[] b = originals[which].clone();
            // mutate mostly in the structural part (flatbuffers put tables and vectors of offsets before/after data)
            int n = 1 + rnd.nextInt(12);
            for (int k = 0; k < n; k++) {
                int pos = rnd.nextInt(b.length);
                switch (rnd.nextInt(4)) {
                    case 0: b[pos] = (byte) rnd.nextInt(256); break;
                    case 1: b[pos] ^= (byte) (1 << rnd.nextInt(8)); break;
                    case 2: b[pos] = (byte) 0xFF; break;
                    default: b[pos] = 0; break;
                }
            }
            if (rnd.nextInt(10) == 0) {
                b = Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            byte[] input = b;
            boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> importOrFormatError(input),
                    "iteration " + iter + " on " + names[which]);
            if (ok) {
                imported++;
            } else {
                rejected++;
            }
        }
        // both paths are exercised
        assertThat(imported).isGreaterThan(0);
        assertThat(rejected).isGreaterThan(0);
    }

    /** True when the bytes imported (and, when small enough, evaluated); false for a TfliteFormatException. */
    private static boolean importOrFormatError(byte[] bytes) {
        ImportedModel m;
        try {
            m = TfliteImporter.importBytes(bytes, "fuzz");
        } catch (TfliteFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            return false;
        }
        if (!m.hasErrors() && m.inputs().size() == 1) {
            TensorInfo in = m.inputs().get(0);
            long n = Arrays.stream(in.shape()).asLongStream().reduce(1, (a, c) -> a * c);
            if (n <= 100_000) {
                try {
                    FloatEvaluator.evaluate(m.graph(), Map.of(in.layerId(), Tensor.zeros(InputEncoding.irShape(in))), false);
                } catch (EvaluationException e) {
                    assertThat(e.getMessage()).isNotBlank();
                }
            }
        }
        return true;
    }

    @Test
    void fileOnDiskThatDoesNotExistIsAnIoError() {
        assertThatThrownBy(() -> TfliteImporter.importFile(Path.of("/nonexistent/model.tflite")))
                .isInstanceOf(java.io.IOException.class);
    }
}
