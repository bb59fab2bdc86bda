package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every float-trained fixture classifier, compiled in memory for V3 and for V4 by {@code k210 eval}, gives the float
 * model's top-1 on every fixture image of its kind (issue 12: TinyMaix's mbnet128 once flipped on V3 because its
 * logits clipped). Photos: the cat, Grace Hopper, the face, the 96×96 no-person frame and the VOC dog; digits 0–9 for
 * MNIST; the three audio spectrograms for the Kendryte audio CNN (whose ReLU after Flatten the compiler now drops).
 */
class ClassifierAgreementTest extends CliTestBase {

    static Stream<Arguments> classifiers() {
        List<Arguments> out = new ArrayList<>();
        for (String target : List.of("v3", "v4")) {
            out.add(Arguments.of("tflite/tinymaix_mbnet128_0.25_float.tflite", "photos", "127.5", "127.5", target));
            out.add(Arguments.of("keras/tinymaix_mbnet128_0.25.h5", "photos", "127.5", "127.5", target));
            out.add(Arguments.of("tflite/tinymaix_mnist_dw_float.tflite", "digits", "0", "255", target));
            out.add(Arguments.of("tflite/tinymaix_mnist_dw_int8.tflite", "digits", "0", "255", target));
            out.add(Arguments.of("keras/tinymaix_mnist_dw.h5", "digits", "0", "255", target));
            out.add(Arguments.of("keras/kendryte_model_compiler_audio_cnn_128x64.h5", "audio", "0", "1", target));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {4}")
    @MethodSource("classifiers")
    void k210Top1EqualsFloatOnEveryFixtureImage(String model, String kind, String mean, String std, String target,
                                                @TempDir Path dir) throws Exception {
        List<Path> images = switch (kind) {
            case "photos" -> List.of(Path.of(fx("images/cat.bmp")), Path.of(fx("images/grace_hopper.bmp")), Path.of(fx("images/face.jpg")),
                    Path.of(fx("images/no_person_96x96.bmp")), Path.of(fx("kmodel/v3/yolo20_voc_nncase_rc5.input_dog_320x240.bmp")));
            case "digits" -> listed(Path.of(fx("images/digits")));
            default -> listed(Path.of(fx("images/audio_feature")));
        };
        for (Path p : images) {
            Files.copy(p, dir.resolve(p.getFileName()));
        }
        int code = cli("eval", fx(model), "--dataset", dir.toString(), "--target", target, "--mean", mean, "--std", std,
                "--json", "--worst", String.valueOf(images.size()));
        assertThat(code).as(err).isZero();
        JsonNode j = new ObjectMapper().readTree(out);
        assertThat(j.get("images").asInt()).isEqualTo(images.size());
        List<String> flips = new ArrayList<>();
        for (JsonNode w : j.get("worst")) {
            if (w.get("floatTop1").asInt() != w.get("k210Top1").asInt()) {
                flips.add(w.get("file").asText() + ": float " + w.get("floatTop1").asInt() + ", K210 " + w.get("k210Top1").asInt());
            }
        }
        System.out.printf("%s %s: top-1 agreement %.3f on %d images%n", model, target, j.get("classifier").get("agreement").asDouble(), images.size());
        assertThat(flips).isEmpty();
        assertThat(j.get("classifier").get("agreement").asDouble()).isEqualTo(1.0);
    }

    private static List<Path> listed(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
