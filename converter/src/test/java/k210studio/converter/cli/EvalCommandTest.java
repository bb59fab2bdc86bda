package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code k210 eval} on a class-folder set made from the fixture digits, the float and V3 figures counted by hand. */
class EvalCommandTest extends CliTestBase {

    /**
     * Ten folders 0…9 with the MNIST digit showing that number, plus digit_8 filed (wrongly) under 3: 11 images. At
     * input x = pixel / 255 the TinyMaix float model reads digit_3 as 8 and digit_8 as 2 (and the rest right), so float
     * top-1 = 8/11 (digit_3, digit_8 and the mislabelled copy miss); class 3 has 2 images, none right; the confusion
     * row of 3 holds both. The K210 figures are re-counted from the per-image answers the report lists.
     */
    @Test
    @DisplayName("class folders of fixture digits: float/K210 top-1, agreement, per-class and confusion match the hand count")
    void digitsHandCount(@TempDir Path dir) throws Exception {
        for (int d = 0; d < 10; d++) {
            Path f = Files.createDirectories(dir.resolve(String.valueOf(d)));
            Files.copy(Path.of(fx("images/digits/digit_" + d + ".png")), f.resolve("digit_" + d + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(Path.of(fx("images/digits/digit_8.png")), dir.resolve("3").resolve("mislabelled_8.png"));
        int code = cli("eval", fx("tflite/tinymaix_mnist_dw_float.tflite"), "--dataset", dir.toString(), "--json", "--worst", "11");
        assertThat(code).as(err).isZero();
        JsonNode j = new ObjectMapper().readTree(out);
        JsonNode c = j.get("classifier");
        assertThat(j.get("images").asInt()).isEqualTo(11);
        assertThat(j.get("layout").asText()).isEqualTo("class folders");
        assertThat(c.get("labelled").asInt()).isEqualTo(11);
        assertThat(c.get("floatTop1").asDouble()).isEqualTo(8.0 / 11);
        // hand count from the per-image answers the report lists (every image is in --worst 11)
        int k210Correct = 0;
        int agree = 0;
        int floatCorrect = 0;
        for (JsonNode w : j.get("worst")) {
            k210Correct += w.get("k210Top1").asInt() == w.get("label").asInt() ? 1 : 0;
            floatCorrect += w.get("floatTop1").asInt() == w.get("label").asInt() ? 1 : 0;
            agree += w.get("k210Top1").asInt() == w.get("floatTop1").asInt() ? 1 : 0;
        }
        assertThat(j.get("worst")).hasSize(11);
        assertThat(floatCorrect).isEqualTo(8);
        assertThat(c.get("k210Top1").asDouble()).isEqualTo(k210Correct / 11.0);
        assertThat(c.get("agreement").asDouble()).isEqualTo(agree / 11.0);
        // the V3 model (8-bit, calibrated on these 11 digits) still reads most digits as float does
        assertThat(agree).isGreaterThanOrEqualTo(8);
        JsonNode three = c.get("perClass").get(3);
        assertThat(three.get("images").asInt()).isEqualTo(2);
        assertThat(three.get("floatCorrect").asInt()).isZero();
        int row3 = 0;
        for (JsonNode v : c.get("k210Confusion").get(3)) {
            row3 += v.asInt();
        }
        assertThat(row3).isEqualTo(2);
        // worst first: disagreements are sorted descending
        double prev = Double.MAX_VALUE;
        for (JsonNode w : j.get("worst")) {
            assertThat(w.get("disagreement").asDouble()).isLessThanOrEqualTo(prev);
            prev = w.get("disagreement").asDouble();
        }
    }

    @Test
    @DisplayName("text output names the figures; a missing dataset folder is a clear error with exit 2")
    void textAndErrors(@TempDir Path dir) throws Exception {
        for (int d = 0; d < 10; d++) {
            Path f = Files.createDirectories(dir.resolve(String.valueOf(d)));
            Files.copy(Path.of(fx("images/digits/digit_" + d + ".png")), f.resolve("d.png"));
        }
        assertThat(cli("eval", fx("tflite/tinymaix_mnist_dw_float.tflite"), "--dataset", dir.toString())).as(err).isZero();
        assertThat(out).contains("top-1", "top-1 agreement K210 vs float", "confusion", "worst images");
        assertThat(out).contains("float      80.00%  100.00%");
        assertThat(cli("eval", fx("tflite/tinymaix_mnist_dw_float.tflite"), "--dataset", dir.resolve("nope").toString())).isEqualTo(2);
        assertThat(err).contains("is not a folder");
    }
}
