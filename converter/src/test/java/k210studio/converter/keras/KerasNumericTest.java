package k210studio.converter.keras;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.imaging.DecodedImage;
import k210studio.converter.imaging.ImageDecoder;
import k210studio.converter.imaging.ImagePreprocessor;
import k210studio.converter.tflite.ImportedModel;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The imported Keras networks compute what the same networks compute as float .tflite files
 * (fixtures README §2: "h5 == tflite"), and the Kendryte audio CNN gives its reference classes.
 * Both graphs run in the studio's float evaluator on the same input tensor.
 */
class KerasNumericTest {

    static Tensor image(String file, int h, int w, int c, float mean, float std) throws Exception {
        DecodedImage img = ImageDecoder.decode(SharedFixtures.fixture("images/" + file));
        int[] px = ImagePreprocessor.pixels(img, h, w, c);
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            x[i] = (px[i] - mean) / std;
        }
        return new Tensor(new int[] {h, w, c}, x);
    }

    static float[] run(Graph g, Tensor x) {
        return FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), false).output().data();
    }

    static Graph tflite(String name) throws Exception {
        ImportedModel m = TfliteImporter.importFile(SharedFixtures.fixture("tflite/" + name));
        return m.graph();
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void mobilenetH5EqualsItsFloatTfliteOnCatAndGraceHopper() throws Exception {
        Graph h5 = KerasImporter.importFile(KerasFixtureImportTest.MBNET).graph();
        Graph tfl = tflite("tinymaix_mbnet128_0.25_float.tflite");
        Tensor x = image("cat.bmp", 128, 128, 3, 127.5f, 127.5f); // x/127.5 − 1
        float[] a = run(h5, x);
        float[] b = run(tfl, x);
        assertThat(a).hasSize(1000);
        assertThat(maxAbsDiff(a, b)).isLessThan(1e-4);
        assertThat(argmax(a)).isEqualTo(285); // "Egyptian cat"
        assertThat(a[285]).isBetween(0.55f, 0.72f);
        // grace_hopper.bmp: "bow tie" (457), h5 == tflite
        Tensor y = image("grace_hopper.bmp", 128, 128, 3, 127.5f, 127.5f);
        float[] c = run(h5, y);
        assertThat(maxAbsDiff(c, run(tfl, y))).isLessThan(1e-4);
        assertThat(argmax(c)).isEqualTo(457);
    }

    @ParameterizedTest(name = "digit_{0}.png -> {1}")
    @CsvSource({"0,0", "1,1", "2,2", "3,8", "4,4", "5,5", "6,6", "7,7", "8,2", "9,9"})
    void mnistDwH5EqualsItsFloatTfliteOnEveryDigit(int digit, int expected) throws Exception {
        Graph h5 = KerasImporter.importFile(KerasFixtureImportTest.MNIST).graph();
        Graph tfl = tflite("tinymaix_mnist_dw_float.tflite");
        Tensor x = image("digits/digit_" + digit + ".png", 28, 28, 1, 0f, 255f); // x/255
        float[] a = run(h5, x);
        float[] b = run(tfl, x);
        assertThat(maxAbsDiff(a, b)).isLessThan(1e-5);
        // the per-file labels of fixtures README §2 (digit_3 reads as 8 and digit_8 as 2 in float)
        assertThat(argmax(a)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}.bmp -> class {1}")
    @CsvSource({"11111,4", "11112,0", "11113,1"})
    void kendryteAudioCnnGivesItsReferenceClassesOnRawPixels(String file, int expected) throws Exception {
        Path h5 = KerasFixtureImportTest.AUDIO;
        Graph g = KerasImporter.importFile(h5).graph();
        Tensor x = image("audio_feature/" + file + ".bmp", 128, 64, 1, 0f, 1f); // raw 0..255, as the model wants
        float[] p = run(g, x);
        assertThat(p).hasSize(7);
        assertThat(argmax(p)).isEqualTo(expected);
        assertThat(p[expected]).isGreaterThan(0.5f); // "confident"
    }

    @Test
    void audioCnnOnZeroToOneInputsCollapsesToClassSix() throws Exception {
        // README §2: with 0..1 inputs every image gives class 6, so the raw-pixel path above is the meaningful one
        Graph g = KerasImporter.importFile(KerasFixtureImportTest.AUDIO).graph();
        for (String f : new String[] {"11111", "11112", "11113"}) {
            assertThat(argmax(run(g, image("audio_feature/" + f + ".bmp", 128, 64, 1, 0f, 255f)))).isEqualTo(6);
        }
    }
}
