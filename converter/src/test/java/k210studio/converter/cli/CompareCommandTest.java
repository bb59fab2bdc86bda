package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code k210 compare} on nncase's model_5 pair (the case: a correct V4 model that showed cosine -0.0045 on
 * its output and two matched rows): every node is now matched, the output and each row agree with float to ≥ 0.99,
 * and the JSON keeps its field names (index, type, unit, floatLayer, cosine, maxAbsDiff, snrDb; outputs with float,
 * k210) with shape, window and note added.
 */
class CompareCommandTest extends CliTestBase {

    @Test
    @DisplayName("compare --json on nncase's model_5: 20 rows matched, all ≥ 0.99, the upload rows show the tensor they upload")
    void model5PairJson() throws Exception {
        int code = cli("compare", fx("tflite/nncase_model_5.tflite"), fx("pairs/nncase_model5.ncc-dev-69932ea.kmodel"), "--image",
                fx("images/face.jpg"), "--json");
        assertThat(code).as(err).isZero();
        JsonNode root = new ObjectMapper().readTree(out);
        JsonNode layers = root.get("layers");
        assertThat(layers).hasSize(20);
        for (JsonNode l : layers) {
            assertThat(l.get("index").isInt()).isTrue();
            assertThat(l.get("unit").asText()).isIn("KPU", "CPU");
            assertThat(l.get("floatLayer").isTextual()).as("row %s", l.get("index")).isTrue();
            assertThat(l.get("cosine").asDouble()).as("row %s %s", l.get("index"), l.get("type")).isGreaterThanOrEqualTo(0.99);
            assertThat(l.has("maxAbsDiff") && l.has("snrDb") && l.has("window") && l.has("shape")).isTrue();
        }
        assertThat(layers.get(1).get("type").asText()).isEqualTo("kpu_upload");
        assertThat(layers.get(1).get("floatLayer").asText()).isEqualTo("data");
        assertThat(layers.get(13).get("floatLayer").asText()).isEqualTo("model_5/relu_conv3/Relu");
        assertThat(layers.get(2).get("shape").toString()).isEqualTo("[64,121,160]");
        JsonNode o = root.get("outputs").get(0);
        assertThat(o.get("float")).hasSize(17024);
        assertThat(o.get("k210")).hasSize(17024);
        assertThat(o.get("cosine").asDouble()).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    @DisplayName("compare text: every row has a float layer, the uncropped KPU outputs say which window they were compared on")
    void model5PairText() {
        int code = cli("compare", fx("tflite/nncase_model_5.tflite"), fx("pairs/nncase_model5.ncc-dev-69932ea.kmodel"), "--image",
                fx("images/cat.bmp"));
        assertThat(code).as(err).isZero();
        assertThat(out).contains("model_5/relu_conv1/Relu").contains("window at row 1, col 0 of 121×160");
        assertThat(out).containsPattern("output 0: cosine 0\\.99\\d+");
        assertThat(out.lines().filter(l -> l.matches("^\\d+ .*")).filter(l -> l.contains(" - "))).isEmpty();
    }

    @TempDir
    Path dir;

    /**
     * {@code k210 compile --report} then {@code k210 compare --report}: the report carries the compiler's layer map, so
     * every row of our own kmodel names its IR tensor without guessing; mnist_dw (V3: odd-grid picks, flatten, dense)
     * and model_5 (V4: pads, uploads, crops) agree with float to ≥ 0.99 on every row that has a float counterpart.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tinymaix_mnist_dw_float.tflite, v3, digits/digit_3.png", "nncase_model_5.tflite, v4, face.jpg"})
    void ownCompileWithItsReport(String model, String target, String image) throws Exception {
        Path data = Files.createDirectory(dir.resolve("images"));
        for (String f : model.contains("mnist") ? List.of("digit_0.png", "digit_3.png", "digit_5.png", "digit_7.png")
                : List.of("face.jpg", "cat.bmp", "grace_hopper.bmp")) {
            Files.copy(Path.of(fx("images/" + (model.contains("mnist") ? "digits/" : "") + f)), data.resolve(f));
        }
        Path km = dir.resolve("out.kmodel");
        Path report = dir.resolve("report.json");
        assertThat(cli("compile", fx("tflite/" + model), "--dataset", data.toString(), "--target", target, "-o", km.toString(),
                "--report", report.toString(), "--mean", "0", "--std", "255", "--quiet")).as(err).isZero();
        int code = cli("compare", fx("tflite/" + model), km.toString(), "--image", fx("images/" + image), "--report", report.toString(),
                "--json");
        assertThat(code).as(err).isZero();
        JsonNode layers = new ObjectMapper().readTree(out).get("layers");
        int compared = 0;
        for (JsonNode l : layers) {
            if (l.get("floatLayer").isTextual()) {
                compared++;
                assertThat(l.get("cosine").asDouble()).as("row %s %s", l.get("index"), l.get("type")).isGreaterThanOrEqualTo(0.99);
            } else {
                assertThat(l.get("note").asText()).as("row %s", l.get("index")).isNotBlank();
            }
            if (l.get("unit").asText().equals("KPU")) {
                assertThat(l.get("floatLayer").isTextual()).as("KPU row %s", l.get("index")).isTrue();
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(layers.size() * 3 / 4);

        // a report of another kmodel is refused
        Files.writeString(report, Files.readString(report).replaceFirst("\"layers\" ?: ?\\[", "\"layers\":[{\"index\":99,\"step\":0},"));
        assertThat(cli("compare", fx("tflite/" + model), km.toString(), "--image", fx("images/" + image), "--report", report.toString()))
                .isEqualTo(2);
        assertThat(err).contains("is it this kmodel's report?");
    }
}
