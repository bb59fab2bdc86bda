package k210studio.converter.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.importing.ModelConventions;
import k210studio.converter.importing.PreprocessingPreset;
import k210studio.converter.keras.KerasTestFiles.H5Weight;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras preprocessing layers at the input (Rescaling, an adapted or a given Normalization) in .h5 files written here:
 * imported as the exact per-channel BatchNormalization, and read as "the model takes raw 0..255 pixels"; a Keras
 * Applications MobileNet (the fixture) keeps preprocess_input outside the model, so its preprocessing is unknown.
 */
class KerasConventionsTest {
    @TempDir
    Path tmp;

    private ImportedKerasModel model(String name, String firstLayer, Map<String, List<H5Weight>> weights) throws Exception {
        String config = KerasSyntheticModelTest.functional("m", "[[\"in\", 0, 0]]", "[[\"dense\", 0, 0]]",
                KerasSyntheticModelTest.layer("InputLayer", "in", "\"batch_input_shape\": [null, 2, 2, 3]"),
                firstLayer,
                KerasSyntheticModelTest.layer("Flatten", "flat", "\"data_format\": \"channels_last\"", KerasSyntheticModelTest.ref(name, 0)),
                KerasSyntheticModelTest.layer("Dense", "dense", "\"units\": 2, \"activation\": \"linear\", \"use_bias\": false",
                        KerasSyntheticModelTest.ref("flat", 0)));
        Map<String, List<H5Weight>> w = new LinkedHashMap<>(weights);
        float[] k = new float[12 * 2];
        k[0] = 1; // output 0 = first value (channel 0 of pixel 0,0)
        k[3] = 1; // output 1 = channel 1 of pixel 0,0
        w.put("dense", List.of(new H5Weight("dense/kernel:0", new int[] {12, 2}, k)));
        Path f = tmp.resolve(name + ".h5");
        KerasTestFiles.writeKeras2(f, config, w);
        return KerasImporter.importFile(f);
    }

    private static float[] run(Graph g, float... pixel) {
        float[] x = new float[12];
        System.arraycopy(pixel, 0, x, 0, pixel.length);
        return FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), new Tensor(new int[] {2, 2, 3}, x)), false).output(0).data();
    }

    @Test
    void aLeadingRescalingMeansRawPixelsAndComputesXTimesScalePlusOffset() throws Exception {
        ImportedKerasModel m = model("scale", KerasSyntheticModelTest.layer("Rescaling", "scale", "\"scale\": 0.00784313725, \"offset\": -1.0",
                KerasSyntheticModelTest.ref("in", 0)), Map.of());
        ModelConventions c = m.conventions();
        assertThat(c.preprocessing()).isEqualTo(PreprocessingPreset.RAW.preprocessing());
        assertThat(c.preprocessingSource()).contains("Keras Rescaling 'scale'").contains("x·0.00784314 − 1").contains("raw 0..255 pixels");
        assertThat(c.classes()).isEqualTo(2);
        float[] y = run(m.graph(), 255f, 0f);
        assertThat(y[0]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(y[1]).isCloseTo(-1f, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void anAdaptedNormalizationIsXMinusMeanOverTheRootOfTheVariance() throws Exception {
        Map<String, List<H5Weight>> w = Map.of("norm", List.of(
                new H5Weight("norm/mean:0", new int[] {3}, new float[] {100f, 50f, 0f}),
                new H5Weight("norm/variance:0", new int[] {3}, new float[] {400f, 25f, 1f}),
                new H5Weight("norm/count:0", new int[] {}, new float[] {10f})));
        ImportedKerasModel m = model("norm", KerasSyntheticModelTest.layer("Normalization", "norm", "\"axis\": [-1]",
                KerasSyntheticModelTest.ref("in", 0)), w);
        assertThat(m.conventions().preprocessingSource()).contains("Keras Normalization 'norm'");
        float[] y = run(m.graph(), 140f, 60f);
        assertThat(y[0]).isCloseTo(2f, org.assertj.core.data.Offset.offset(1e-5f));   // (140 − 100) / 20
        assertThat(y[1]).isCloseTo(2f, org.assertj.core.data.Offset.offset(1e-5f));   // (60 − 50) / 5
    }

    @Test
    void aNormalizationWithItsMeanInTheConfigNeedsNoWeightsAndInvertIsRefused() throws Exception {
        ImportedKerasModel m = model("norm", KerasSyntheticModelTest.layer("Normalization", "norm",
                "\"axis\": -1, \"mean\": [[[[127.5, 127.5, 127.5]]]], \"variance\": 16256.25", KerasSyntheticModelTest.ref("in", 0)), Map.of());
        float[] y = run(m.graph(), 255f, 0f);
        assertThat(y[0]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(y[1]).isCloseTo(-1f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThatThrownBy(() -> model("inv", KerasSyntheticModelTest.layer("Normalization", "inv", "\"axis\": -1, \"invert\": true, "
                + "\"mean\": 1.0, \"variance\": 1.0", KerasSyntheticModelTest.ref("in", 0)), Map.of()))
                .hasMessageContaining("invert=True");
    }

    @Test
    void kerasApplicationsMobilenetKeepsItsPreprocessingOutsideTheModel() throws Exception {
        ModelConventions c = KerasImporter.importFile(SharedFixtures.fixture("keras/tinymaix_mbnet128_0.25.h5")).conventions();
        assertThat(c.knowsPreprocessing()).isFalse();
        assertThat(c.classes()).isEqualTo(1000);
    }
}
