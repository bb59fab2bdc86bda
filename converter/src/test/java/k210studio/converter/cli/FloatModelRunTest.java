package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./k210 run model.tflite ...}: the float branch behind the same options and JSON keys as kmodels. */
class FloatModelRunTest {

    private record Result(int code, String out, String err) {
    }

    private static Result cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int code = K210Cli.run(args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String f(String rel) {
        return SharedFixtures.fixture(rel).toString();
    }

    @Test
    void irisValuesGiveTheReferenceVectorInJson() throws Exception {
        Result r = cli("run", f("tflite/nncase_iris.tflite"), "--input", "5.1,3.8,1.9,0.4", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("format").asText()).isEqualTo("tflite");
        JsonNode data = j.get("outputs").get(0).get("data");
        assertThat(data.get(0).floatValue()).isCloseTo(16.077795f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(data.get(2).floatValue()).isCloseTo(-2.0717454f, org.assertj.core.data.Offset.offset(1e-4f));
        // a [1, 3] output is a vector once the batch is left out: the top classes are listed by default
        assertThat(j.get("top")).hasSize(3);
        assertThat(j.get("top").get(0).get("index").asInt()).isZero();
    }

    @Test
    void mbnetOnCatWithMeanStdAndLabelsListsEgyptianCatFirst() {
        Result r = cli("run", f("tflite/tinymaix_mbnet128_0.25_float.tflite"), "--image", f("images/cat.bmp"),
                "--mean", "127.5", "--std", "127.5", "--labels", f("tflite/coral_imagenet_labels_1001.txt"), "--top", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("TFLite, float evaluator").contains("top 3:");
        assertThat(r.out().lines().filter(l -> l.matches("\\s+\\d+\\s+0\\.\\d+.*")).findFirst().orElseThrow())
                .contains("285").contains("Egyptian cat");
    }

    @Test
    void personDetectWithRawInt8BytesShowsTheQuantizedCodes() throws Exception {
        Result r = cli("run", f("tflite/person_detect_int8.tflite"), "--image", f("images/person_96x96_int8bytes.bmp"),
                "--raw-int8", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out()).get("outputs").get(0);
        assertThat(o.get("fileDtype").asText()).isEqualTo("int8");
        assertThat(o.get("quantized").get(1).asInt()).isGreaterThan(o.get("quantized").get(0).asInt());
    }

    @Test
    void rawInputFileOfTheInputTypeIsAccepted(@TempDir Path dir) throws Exception {
        Path raw = dir.resolve("x.bin");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {5.1f, 3.8f, 1.9f, 0.4f}) {
            b.putFloat(v);
        }
        Files.write(raw, b.array());
        Result r = cli("run", f("tflite/nncase_iris.tflite"), "--input-file", raw.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("16.0778");
        Files.write(raw, new byte[3]);
        Result bad = cli("run", f("tflite/nncase_iris.tflite"), "--input-file", raw.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("needs 16");
    }

    @Test
    void wrongInputsAndBrokenFilesAreUsageErrors(@TempDir Path dir) throws Exception {
        Result count = cli("run", f("tflite/nncase_iris.tflite"), "--input", "1,2,3");
        assertThat(count.code()).isEqualTo(2);
        assertThat(count.err()).contains("takes 4 values");
        Result none = cli("run", f("tflite/nncase_iris.tflite"));
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("exactly one of --image, --input or --input-file");
        Path junk = dir.resolve("junk.tflite");
        Files.write(junk, "not a model".getBytes());
        Result broken = cli("run", junk.toString(), "--input", "1");
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.err()).contains("not a TFLite model");
    }

    @Test
    void traceListsEveryLayerWithShapeAndRange() throws Exception {
        Result r = cli("run", f("tflite/tinymaix_mnist_dw_float.tflite"), "--image", f("images/digits/digit_7.png"),
                "--std", "255", "--trace", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode trace = j.get("trace");
        assertThat(trace).hasSize(8);
        assertThat(trace.get(0).get("type").asText()).isEqualTo("InputLayer");
        assertThat(trace.get(0).get("max").floatValue()).isLessThanOrEqualTo(1f);
        assertThat(trace.get(7).get("type").asText()).isEqualTo("Softmax");
        assertThat(j.get("top").get(0).get("index").asInt()).isEqualTo(7);
        Result text = cli("run", f("tflite/tinymaix_mnist_dw_float.tflite"), "--image", f("images/digits/digit_7.png"),
                "--std", "255", "--trace");
        assertThat(text.out()).contains("trace:").contains("L07");
    }
}
