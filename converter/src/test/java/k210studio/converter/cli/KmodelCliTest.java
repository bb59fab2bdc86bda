package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ./k210 dump / run / bench on the real V3 fixtures. */
class KmodelCliTest extends CliTestBase {
    private final ObjectMapper om = new ObjectMapper();
    @ParameterizedTest
    @ValueSource(strings = {"iris_fc_nncase_rc5.kmodel", "mnist_maixpy.kmodel", "face_detect_yolov2_320x240.kmodel",
        "yolo20_voc_nncase_rc5.kmodel", "mobilenet_v1_0.75_1000cls.kmodel"})
    void dumpJsonListsEveryLayer(String name) throws Exception {
        assertThat(cli("dump", fx("kmodel/v3/" + name), "--json")).as(err).isZero();
        JsonNode j = om.readTree(out);
        assertThat(j.get("version").asInt()).isEqualTo(3);
        assertThat(j.get("mainMemUsage").asLong()).isPositive();
        byte[] file = Files.readAllBytes(SharedFixtures.fixture("kmodel/v3/" + name));
        int layerCount = (file[12] & 0xFF) | (file[13] & 0xFF) << 8;
        assertThat(j.get("layers")).hasSize(layerCount);
        for (JsonNode l : j.get("layers")) {
            assertThat(l.get("index").isInt()).isTrue();
            assertThat(l.get("type").asText()).matches("[A-Z0-9_]+");
            assertThat(l.get("bodySize").asLong()).isPositive();
            if (l.get("type").asText().equals("K210_CONV")) {
                assertThat(l.get("conv").get("registers")).hasSize(12);
            }
        }
        assertThat(j.get("outputs").get(0).get("address")).isNotNull();
        assertThat(j.get("outputs").get(0).get("size").asLong()).isPositive();
        assertThat(cli("dump", fx("kmodel/v3/" + name))).isZero();
        assertThat(out).contains("L00 ");
    }

    @Test
    void dumpMnistShowsTheConvFieldsOfTheSpec() throws Exception {
        assertThat(cli("dump", fx("kmodel/v3/mnist_maixpy.kmodel"), "--json")).isZero();
        JsonNode l0 = om.readTree(out).get("layers").get(0);
        assertThat(l0.get("type").asText()).isEqualTo("K210_CONV");
        JsonNode c = l0.get("conv");
        assertThat(c.get("inputLine").asInt()).isEqualTo(32740);
        assertThat(c.get("outputLine").asInt()).isEqualTo(32684);
        assertThat(c.get("argX").asLong()).isEqualTo(-3932160);
        assertThat(c.get("pool").asText()).isEqualTo("max2x2/s2");
        assertThat(c.get("registers").get(1).asText()).isEqualTo("0x00007fac00007fe4");
    }

    @Test
    void verboseDumpShowsRegistersBatchNormAndActivationAsInTheSpec() throws Exception {
        assertThat(cli("dump", fx("kmodel/v3/mnist_maixpy.kmodel"), "--verbose")).as(err).isZero();
        assertThat(out).contains("kernel_pool_type_cfg   0x00000000000f0411")
                .contains("bn[0]: norm_mul=57131 norm_add=15787 norm_shift=15")
                .contains("act[10]: start_x=0 y_mul=1024 shift=20 bias=0");
        assertThat(cli("dump", fx("kmodel/v3/yolo20_voc_nncase_rc5.kmodel"), "--json", "-v")).as(err).isZero();
        JsonNode act = om.readTree(out).get("layers").get(0).get("conv").get("activation");
        assertThat(act).hasSize(16);
        assertThat(act.get(15).get("yMul").asInt()).isEqualTo(1024);
        assertThat(act.get(1).get("yMul").asInt()).isEqualTo(102);
    }

    @Test
    void runIrisWithInputValues() throws Exception {
        assertThat(cli("run", fx("kmodel/v3/iris_fc_nncase_rc5.kmodel"), "--input", "5.1,3.8,1.9,0.4", "--json"))
                .as(err).isZero();
        JsonNode j = om.readTree(out);
        JsonNode data = j.get("outputs").get(0).get("data");
        assertThat(data.get(0).asDouble()).isCloseTo(16.077795, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(data.get(2).asDouble()).isCloseTo(-2.071745, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(j.get("top").get(0).get("index").asInt()).isZero();
    }

    @Test
    void runIrisFromARawFloatFileWithTrace(@TempDir Path tmp) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {5.1f, 3.8f, 1.9f, 0.4f}) {
            b.putFloat(v);
        }
        Path raw = Files.write(tmp.resolve("iris.bin"), b.array());
        assertThat(cli("run", fx("kmodel/v3/iris_fc_nncase_rc5.kmodel"), "--input-file", raw.toString(), "--trace"))
                .as(err).isZero();
        assertThat(out).contains("16.0778").contains("L01 FULLY_CONNECTED").contains("CPU");
        Path shortRaw = Files.write(tmp.resolve("short.bin"), new byte[15]);
        assertThat(cli("run", fx("kmodel/v3/iris_fc_nncase_rc5.kmodel"), "--input-file", shortRaw.toString()))
                .isEqualTo(2);
        assertThat(err).contains("needs 16");
    }

    @Test
    void runYolo20OnTheDogImageWithLabels(@TempDir Path tmp) throws Exception {
        Path labels = tmp.resolve("voc.txt");
        Files.write(labels, List.of("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair",
                "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
                "tvmonitor"));
        assertThat(cli("run", fx("kmodel/v3/yolo20_voc_nncase_rc5.kmodel"), "--image",
                fx("kmodel/v3/yolo20_voc_nncase_rc5.input_dog_320x240.bmp"), "--yolo",
                "1.08,1.19,3.42,4.41,6.63,11.38,9.42,5.11,16.62,10.52", "--threshold", "0.5", "--nms", "0.2",
                "--labels", labels.toString(), "--json")).as(err).isZero();
        JsonNode j = om.readTree(out);
        List<String> found = new ArrayList<>();
        j.get("boxes").forEach(b -> found.add(b.get("label").asText()));
        assertThat(found).contains("dog", "bicycle", "car");
        assertThat(j.get("outputs").get(0).get("shape").toString()).isEqualTo("[125,7,10]");
    }

    @Test
    void runMobilenetTopThreeHasACat() throws Exception {
        assertThat(cli("run", fx("kmodel/v3/mobilenet_v1_0.75_1000cls.kmodel"), "--image", fx("images/cat.bmp"),
                "--top", "3")).as(err).isZero();
        assertThat(out).containsPattern("\\s28[1-5]\\s");
    }

    @Test
    void badFilesGiveExitCode2AndAMessage(@TempDir Path tmp) throws Exception {
        Path empty = Files.write(tmp.resolve("empty.kmodel"), new byte[0]);
        assertThat(cli("dump", empty.toString())).isEqualTo(2);
        assertThat(err).contains("empty");
        byte[] b = Files.readAllBytes(SharedFixtures.fixture("kmodel/v3/mnist_maixpy.kmodel"));
        Path cut = Files.write(tmp.resolve("cut.kmodel"), java.util.Arrays.copyOf(b, 5000));
        assertThat(cli("run", cut.toString(), "--input", "1")).isEqualTo(2);
        assertThat(err).contains("truncated");
        assertThat(cli("run", fx("kmodel/v3/iris_fc_nncase_rc5.kmodel"), "--input", "1,2")).isEqualTo(2);
        assertThat(err).contains("4 values");
        assertThat(cli("run", fx("kmodel/v3/iris_fc_nncase_rc5.kmodel"), "--image", fx("images/cat.bmp")))
                .isEqualTo(2);
        assertThat(err).contains("not an image");
    }

    @Test
    void benchPrintsMillisecondsAndGmacs() {
        assertThat(cli("bench", fx("kmodel/v3/mnist_maixpy.kmodel"), "--runs", "2", "--warmup", "1")).as(err).isZero();
        assertThat(out).contains("ms per inference").contains("GMAC/s").contains("estimated on a K210")
                .contains("per image:").contains("machine int8 peak");
    }

    @Test
    void benchJsonCarriesMedianMacRateAndThePeakOfTheSameRun() throws Exception {
        assertThat(cli("bench", fx("kmodel/v3/mnist_maixpy.kmodel"), "--runs", "3", "--warmup", "1", "--peak-ms", "50",
                "--json")).as(err).isZero();
        var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
        assertThat(j.get("medianMs").asDouble()).isPositive();
        assertThat(j.get("macs").asLong()).isPositive();
        assertThat(j.get("macPerSecond").asDouble()).isPositive();
        assertThat(j.get("int8PeakMacPerSecondOneCore").asDouble()).isPositive();
        assertThat(j.get("int8PeakMacPerSecondAllCores").asDouble()).isPositive();
    }
}
