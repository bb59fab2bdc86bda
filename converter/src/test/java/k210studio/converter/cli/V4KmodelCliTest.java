package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ./k210 dump and run on the real kmodel V4 files (version detected from the bytes). */
class V4KmodelCliTest extends CliTestBase {
    private final ObjectMapper om = new ObjectMapper();
    static final Set<String> SPELLINGS = Set.of("binary", "concat", "conv2d", "dequantize", "matmul", "pad", "quantize",
            "reduce", "reduce_window2d", "memory_copy", "resize_image", "softmax", "transpose", "strided_slice", "unary",
            "quantized_conv2d", "quantized_matmul", "quantized_binary", "table_lookup1d", "conv2d_transpose",
            "nnil_unary_method", "cpu_conv2d", "cpu_depthwise_conv2d", "cpu_reduce_window2d", "cpu_quantized_conv2d",
            "cpu_quantized_depthwise_conv2d", "kpu_upload", "kpu_conv2d");

    @ParameterizedTest
    @ValueSource(strings = {"kmodel/v4/nncase-v0.2.0-beta4_iris_float_1x1x1x4.kmodel",
        "kmodel/v4/nncase-v0.2.0-beta4_yolo20classes_kfpkg_3x240x320.kmodel",
        "kmodel/v4/nncase-v0.2.0-beta4_ulffd_landmark_3x240x320.kmodel",
        "kmodel/v4/nncase-v0.2.0-beta2_ulffd_ultra_face_3x240x320.kmodel",
        "pairs/nncase_model5.ncc-dev-69932ea.kmodel"})
    void dumpJsonListsEveryNodeWithItsRuntimeOpcodeName(String file) throws Exception {
        assertThat(cli("dump", fx(file), "--json")).as(err).isZero();
        JsonNode j = om.readTree(out);
        assertThat(j.get("version").asInt()).isEqualTo(4);
        assertThat(j.get("inputs")).isNotEmpty();
        assertThat(j.get("outputs")).isNotEmpty();
        assertThat(j.get("nodes").size()).isEqualTo(j.get("header").get("nodes").asInt());
        Set<String> seen = new HashSet<>();
        long previous = -1;
        for (JsonNode n : j.get("nodes")) {
            assertThat(n.get("index").isInt()).isTrue();
            assertThat(SPELLINGS).contains(n.get("opcode").asText());
            assertThat(n.get("bodySize").asLong()).isPositive();
            assertThat(n.get("offset").asLong()).isGreaterThan(previous);
            previous = n.get("offset").asLong();
            seen.add(n.get("opcode").asText());
            if (n.get("opcode").asText().equals("kpu_conv2d")) {
                assertThat(n.get("kpu").get("registers")).hasSize(12);
                assertThat(n.get("batches").asInt()).isPositive();
            }
        }
        assertThat(seen).isNotEmpty();
    }

    @Test
    void dumpTextNamesTheQuantizedConvOfUltraFace() {
        assertThat(cli("dump", fx("kmodel/v4/nncase-v0.2.0-beta2_ulffd_ultra_face_3x240x320.kmodel"))).as(err).isZero();
        assertThat(out).contains("kmodel V4").contains("quantized_conv2d").contains("reserved0=0xcccccccc");
    }

    @Test
    void runIrisPrintsTheReferenceOutput() throws Exception {
        assertThat(cli("run", fx("kmodel/v4/nncase-v0.2.0-beta4_iris_float_1x1x1x4.kmodel"), "--input",
                "5.1,3.8,1.9,0.4", "--json")).as(err).isZero();
        JsonNode o = om.readTree(out).get("outputs").get(0);
        assertThat(o.get("shape").get(0).asInt()).isEqualTo(3); // flat: V4 stores no output shape
        assertThat(o.get("data").get(0).asDouble()).isBetween(16.0777, 16.0779);
        assertThat(om.readTree(out).get("top").get(0).get("index").asInt()).isZero();
    }

    @Test
    void outputShapeWorksLikeSetOutputsAndFeedsTheYoloDecoder() throws Exception {
        assertThat(cli("run", fx("kmodel/v4/nncase-v0.2.0-beta4_yolo20classes_kfpkg_3x240x320.kmodel"), "--image",
                fx("kmodel/v3/yolo20_voc_nncase_rc5.input_dog_320x240.bmp"), "--output-shape", "125x7x10", "--yolo",
                "1.08,1.19,3.42,4.41,6.63,11.38,9.42,5.11,16.62,10.52", "--threshold", "0.5", "--json")).as(err).isZero();
        JsonNode j = om.readTree(out);
        assertThat(j.get("outputs").get(0).get("shape").toString()).isEqualTo("[125,7,10]");
        Set<Integer> classes = new HashSet<>();
        j.get("boxes").forEach(b -> classes.add(b.get("classId").asInt()));
        assertThat(classes).contains(1, 6); // bicycle, car
        // a shape that does not hold the output's elements is refused with the reason
        assertThat(cli("run", fx("kmodel/v4/nncase-v0.2.0-beta4_iris_float_1x1x1x4.kmodel"), "--input",
                "5.1,3.8,1.9,0.4", "--output-shape", "2x2")).isEqualTo(2);
        assertThat(err).contains("holds 4 elements but the output holds 3");
        // V3 stores its shapes
        assertThat(cli("run", fx("kmodel/v3/iris_fc_nncase_rc5.kmodel"), "--input", "5.1,3.8,1.9,0.4",
                "--output-shape", "3")).isEqualTo(2);
        assertThat(err).contains("--output-shape is for kmodel V4");
    }

    @Test
    void aCorruptV4FileIsRefusedWithTheFormatError() throws Exception {
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("bad", ".kmodel");
        byte[] b = java.nio.file.Files.readAllBytes(SharedFixtures.fixture(
                "kmodel/v4/nncase-v0.2.0-beta4_iris_float_1x1x1x4.kmodel"));
        java.nio.file.Files.write(tmp, java.util.Arrays.copyOf(b, 300));
        try {
            assertThat(cli("dump", tmp.toString())).isEqualTo(2);
            assertThat(err).contains("not a valid kmodel").contains("kmodel V4");
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }
}
