package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code k210 eval --doctor} on class folders of the fixture digits (TinyMaix MNIST, V3 compiled in memory). */
class EvalDoctorCommandTest extends CliTestBase {

    /** Class folders 0…9 of the fixture digits in {@code dir}; returns the MNIST model's path. */
    private static String digits(Path dir) throws Exception {
        for (int d = 0; d < 10; d++) {
            Path f = Files.createDirectories(dir.resolve(String.valueOf(d)));
            Files.copy(Path.of(fx("images/digits/digit_" + d + ".png")), f.resolve("digit_" + d + ".png"));
        }
        return fx("tflite/tinymaix_mnist_dw_float.tflite");
    }

    @Test
    @DisplayName("--json --doctor: a layer row per mapped kmodel layer, the ranking sorted by cost, each with a suggestion; none without --doctor")
    void doctorJson(@TempDir Path dir) throws Exception {
        String model = digits(dir);
        assertThat(cli("eval", model, "--dataset", dir.toString(), "--json")).as(err).isZero();
        assertThat(new ObjectMapper().readTree(out).has("doctor")).isFalse();
        assertThat(cli("eval", model, "--dataset", dir.toString(), "--json", "--doctor", "--apply-doctor")).as(err).isZero();
        JsonNode d = new ObjectMapper().readTree(out).get("doctor");
        assertThat(d.get("images").asInt()).isEqualTo(10);
        assertThat(d.get("layers").size()).isGreaterThanOrEqualTo(4);
        for (JsonNode l : d.get("layers")) {
            assertThat(l.get("layer").asText()).isNotEmpty();
            // an 8-bit model of this size stays close to float on every layer, but not exactly on it
            assertThat(l.get("cosine").asDouble()).isBetween(0.99, 1.0);
            assertThat(l.get("snrDb").asDouble()).isBetween(15.0, 80.0);
            assertThat(l.get("clipped").asDouble()).isBetween(0.0, 1.0);
        }
        JsonNode rk = d.get("ranking");
        assertThat(rk.size()).isGreaterThanOrEqualTo(3);
        double prev = Double.MAX_VALUE;
        for (JsonNode r : rk) {
            assertThat(r.get("agreementCost").asDouble()).isLessThanOrEqualTo(prev);
            prev = r.get("agreementCost").asDouble();
            assertThat(r.get("suggestion").get("kind").asText()).isIn("widen-range", "calibrate", "weights-16", "none");
            assertThat(r.get("suggestion").get("text").asText()).contains(r.get("layer").asText());
        }
        JsonNode a = d.get("applied");
        assertThat(a.get("agreementBefore").asDouble()).isEqualTo(new ObjectMapper().readTree(out).get("classifier").get("agreement").asDouble());
        assertThat(a.get("agreementAfter").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    @DisplayName("text --doctor prints the layer table and the ranked suggestions; --doctor with a given KMODEL is refused (exit 2)")
    void doctorText(@TempDir Path dir) throws Exception {
        String model = digits(dir);
        assertThat(cli("eval", model, "--dataset", dir.toString(), "--doctor")).as(err).isZero();
        assertThat(out).contains("top-1 agreement K210 vs float", "quantization doctor (10 image(s))", "COSINE", "SNR dB", "CLIPPED",
                "K210_CONV", "layers ranked by the top-1 agreement", " 1. ");
        Path km = dir.resolve("m.kmodel"); // refused before it is read
        assertThat(cli("eval", model, km.toString(), "--dataset", dir.toString(), "--doctor")).isEqualTo(2);
        assertThat(err).contains("--doctor needs the model compiled in memory");
    }
}
