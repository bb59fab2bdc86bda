package k210studio.converter.compile.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import k210studio.converter.compile.CalibrationDataset;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.ErrorStats;
import k210studio.converter.compile.GraphPreparer;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.keras.KerasImporter;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.edit.RemoveLayerCommand;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * The Kendryte audio CNN (kendryte/kendryte-model-compiler, Keras 2.2.4) ends in conv → ReLU → pool → Flatten → ReLU →
 * Dense: the second ReLU cannot change anything, yet nncase 0.1 has no layer for it and refuses V3. The compiler
 * removes such no-op activations, so the model compiles for V3 exactly as if the user had deleted the layer.
 */
class RemoveRedundantActivationTest {
    static final Path AUDIO = SharedFixtures.fixture("keras/kendryte_model_compiler_audio_cnn_128x64.h5");
    static final Path FEATURES = SharedFixtures.fixture("images/audio_feature");
    /** The audio CNN takes raw 0..255 feature pixels. */
    static final CompileOptions V3_RAW_PIXELS = CompileOptions.defaults(QuantRules.V3).withPreprocessing(0f, 1f);

    @Test
    void theAudioCnnsReluAfterFlattenIsRemovedAndV3CompilesAsIfTheUserHadDeletedIt() throws Exception {
        Graph g = KerasImporter.importFile(AUDIO).graph();
        String act5 = g.layerNamed("activation_5").id();
        String flatten = g.layerNamed("flatten_1").id();
        String dense = g.layerNamed("dense_1").id();
        assertThat(g.inputsOf(act5)).containsExactly(flatten);

        Graph prepared = GraphPreparer.prepare(g);
        assertThat(prepared.contains(act5)).isFalse();
        assertThat(prepared.inputsOf(dense)).containsExactly(flatten);

        TensorShape in = TensorShape.hwc(128, 64, 1);
        List<Tensor> samples = CalibrationDataset.load(FEATURES, in, 0f, 1f, 0);
        Tensor x = samples.get(0);
        String inputId = g.inputIds().get(0);
        float[] before = FloatEvaluator.evaluate(g, Map.of(inputId, x), false).output().data();
        Graph fixedByUser = g.copy();
        new RemoveLayerCommand(act5, true).apply(fixedByUser);
        // the layer really is a no-op: without it the float model computes the very same numbers
        assertThat(FloatEvaluator.evaluate(fixedByUser, Map.of(inputId, x), false).output().data()).containsExactly(before);
        // (the prepared graph also has batch-norm folded, hence rounding-level differences)
        float[] after = FloatEvaluator.evaluate(prepared, Map.of(inputId, x), false).output().data();
        assertThat(ErrorStats.of(before, after).maxAbsDiff()).isLessThan(1e-5f);

        K210Compiler.Result v3 = K210Compiler.compile(g, samples, V3_RAW_PIXELS, null);
        K210Compiler.Result v3Fixed = K210Compiler.compile(fixedByUser, samples, V3_RAW_PIXELS, null);
        assertThat(v3.kmodel()).isEqualTo(v3Fixed.kmodel());

        byte[] px = new byte[128 * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(x.data()[i]);
        }
        float[] chip = v3.model().run(KmodelTensor.ofUint8(new int[] {1, 128, 64}, px), RunOptions.defaults()).output(0).toFloatArray();
        assertThat(argmax(chip)).isEqualTo(argmax(before));
        assertThat(ErrorStats.of(before, chip).cosine()).isGreaterThan(0.99);
    }

    @Test
    void activationsThatCanChangeValuesStay() {
        Graph g = new Graph("keeps");
        String in = g.add("image", new Input(TensorShape.hwc(8, 8, 3)));
        String relu = g.add("relu_conv", Conv2D.of(4, 3, 1, Padding.SAME).withActivation(ActivationFn.RELU), in);
        String flat = g.add("flat", new Flatten(), relu);
        String relu6 = g.add("relu6", new ReLU(6f, 0f, 0f), flat); // clips values above 6: kept
        String linear = g.add("linear_conv", Conv2D.of(4, 3, 1, Padding.SAME), in);
        String lflat = g.add("linear_flat", new Flatten(), linear);
        String relu2 = g.add("relu_on_linear", new Activation(ActivationFn.RELU), lflat); // clips negatives: kept
        g.setOutputs(List.of(g.add("fc", new Dense(3, true, ActivationFn.LINEAR), relu6), relu2));
        new RemoveRedundantActivation().apply(g);
        assertThat(g.contains(relu6)).isTrue();
        assertThat(g.contains(relu2)).isTrue();
    }

    @Test
    void aNoOpActivationThatIsANetworkOutputHandsTheOutputToItsProducer() {
        Graph g = new Graph("head");
        String in = g.add("image", new Input(TensorShape.hwc(8, 8, 3)));
        String fc = g.add("fc", new Dense(5, true, ActivationFn.RELU6), g.add("flat", new Flatten(), in));
        String relu = g.add("relu", new ReLU(null, 0f, 0f), fc);
        g.setOutputs(List.of(relu));
        new RemoveRedundantActivation().apply(g);
        assertThat(g.contains(relu)).isFalse();
        assertThat(g.explicitOutputs()).containsExactly(fc);
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
