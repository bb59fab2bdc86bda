package k210studio.converter.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.imaging.ImageDecoder;
import k210studio.converter.imaging.ImagePreprocessor;
import k210studio.ir.tensor.Tensor;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The imported float networks reproduce the reference results of shared/fixtures/README.md §2
 * (upstream expectations and the two independent runtimes used there).
 */
class TfliteReferenceResultsTest {

    private static float[] runValues(String model, float... x) throws Exception {
        ImportedModel m = TfliteFixtureImportTest.load(model);
        TensorInfo in = m.inputs().get(0);
        Tensor t = InputEncoding.fromValues(in, x);
        return FloatEvaluator.evaluate(m.graph(), Map.of(in.layerId(), t), false).output().data();
    }

    static float[] runImage(String model, String image, Float mean, Float std, boolean rawBytes) throws Exception {
        ImportedModel m = TfliteFixtureImportTest.load(model);
        TensorInfo in = m.inputs().get(0);
        int[] s = InputEncoding.irShape(in);
        int[] px = ImagePreprocessor.pixels(ImageDecoder.decode(SharedFixtures.fixture("images/" + image)), s[0], s[1], s[2]);
        Tensor t = InputEncoding.fromPixels(in, px, mean, std, rawBytes);
        return FloatEvaluator.evaluate(m.graph(), Map.of(in.layerId(), t), false).output().data();
    }

    static List<Integer> top(float[] v, int n) {
        return IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> -v[i])).limit(n).toList();
    }

    @Test
    void irisGivesNncaseReferenceVector() throws Exception {
        float[] y = runValues("nncase_iris.tflite", 5.1f, 3.8f, 1.9f, 0.4f);
        assertThat(y).containsExactly(new float[] {16.077795f, 5.6076555f, -2.0717454f}, within(1e-4f));
    }

    @ParameterizedTest(name = "x = {0}")
    @CsvSource({"0", "1", "3", "5"})
    void helloWorldFloatIsWithin005OfSine(float x) throws Exception {
        float y = runValues("hello_world_float.tflite", x)[0];
        assertThat((double) y).isCloseTo(Math.sin(x), within(0.05));
    }

    @ParameterizedTest(name = "q = {0}")
    @CsvSource({"-96, 0.77", "-63, 1.57", "-34, 2.3", "0, 3.14"})
    void helloWorldInt8FedIntegerCodesIsWithin005OfSine(int q, double x) throws Exception {
        // the int8 input is fed as its integer code; the float network sees scale·(q − zero point)
        float y = runValues("hello_world_int8.tflite", q)[0];
        assertThat((double) y).isCloseTo(Math.sin(x), within(0.05));
    }

    @ParameterizedTest(name = "digit_{0}.png -> {1}")
    @CsvSource({"0,0", "1,1", "2,2", "3,8", "4,4", "5,5", "6,6", "7,7", "8,2", "9,9"})
    void mnistFloatAndInt8GiveThePerFileLabels(int digit, int label) throws Exception {
        float[] f = runImage("tinymaix_mnist_dw_float.tflite", "digits/digit_" + digit + ".png", 0f, 255f, false);
        assertThat(top(f, 1)).containsExactly(label);
        // int8 input: pixel − 128 as the code, scale 1/255, zero point −128 → the same x/255
        float[] q = runImage("tinymaix_mnist_dw_int8.tflite", "digits/digit_" + digit + ".png", null, null, false);
        assertThat(top(q, 1)).containsExactly(label);
    }

    @Test
    void mbnet128FloatOnCatIsEgyptianCat() throws Exception {
        float[] p = runImage("tinymaix_mbnet128_0.25_float.tflite", "cat.bmp", 127.5f, 127.5f, false);
        assertThat(top(p, 2)).containsExactly(285, 281);
        assertThat(p[285]).isCloseTo(0.64f, within(0.03f));
    }

    @Test
    void mbnet128FloatOnGraceHopperIsBowTie() throws Exception {
        float[] p = runImage("tinymaix_mbnet128_0.25_float.tflite", "grace_hopper.bmp", 127.5f, 127.5f, false);
        assertThat(top(p, 3)).containsExactly(457, 834, 652);
    }

    @Test
    void coralUint8MobilenetOnCatHasTigerCatAndEgyptianCatInTop3() throws Exception {
        float[] p = runImage("coral_mobilenet_v1_0.25_128_quant_uint8.tflite", "cat.bmp", null, null, false);
        assertThat(top(p, 3)).contains(283, 286);
    }

    @Test
    void personDetectOnRawInt8BytesSeesAPersonAndOnTheGiraffeNone() throws Exception {
        float[] person = runImage("person_detect_int8.tflite", "person_96x96_int8bytes.bmp", null, null, true);
        assertThat(person[1]).isGreaterThan(person[0]);
        assertThat(person[1]).isGreaterThan(0.9f);
        float[] none = runImage("person_detect_int8.tflite", "no_person_96x96.bmp", null, null, true);
        assertThat(none[0]).isGreaterThan(none[1]);
        // fed as pixel − 128 instead of raw bytes the person picture is no longer recognised (README §2)
        float[] wrong = runImage("person_detect_int8.tflite", "person_96x96_int8bytes.bmp", null, null, false);
        assertThat(wrong[1]).isLessThan(person[1]);
    }

    @Test
    void ulffdFindsAbout37FaceAnchorsOnFaceJpg() throws Exception {
        ImportedModel m = TfliteFixtureImportTest.load("nncase_ulffd_landmark.tflite");
        TensorInfo in = m.inputs().get(0);
        int[] px = ImagePreprocessor.pixels(ImageDecoder.decode(SharedFixtures.fixture("images/face.jpg")), 240, 320, 3);
        // x/255 − 0.5
        Tensor t = InputEncoding.fromPixels(in, px, 127.5f, 255f, false);
        EvaluationResult r = FloatEvaluator.evaluate(m.graph(), Map.of(in.layerId(), t), false);
        float[] logits = r.output(2).data();
        assertThat(r.output(2).shape()).containsExactly(3160, 2);
        int count = 0;
        double best = 0;
        for (int i = 0; i < 3160; i++) {
            double p = 1 / (1 + Math.exp(logits[2 * i] - logits[2 * i + 1]));
            if (p > 0.7) {
                count++;
            }
            best = Math.max(best, p);
        }
        assertThat(count).isBetween(33, 41);
        assertThat(best).isCloseTo(0.993, within(0.005));
    }

    @Test
    void quantizedOutputCodesFollowTheOutputScale() throws Exception {
        ImportedModel m = TfliteFixtureImportTest.load("person_detect_int8.tflite");
        long[] q = InputEncoding.quantize(m.outputs().get(0), new float[] {0f, 0.5f, 1f});
        assertThat(q).containsExactly(-128, 0, 127);
        assertThat(Arrays.stream(q).max().getAsLong()).isEqualTo(127);
    }
}
