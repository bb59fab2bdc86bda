package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
}
