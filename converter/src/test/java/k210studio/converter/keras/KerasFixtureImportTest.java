package k210studio.converter.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import k210studio.converter.keras.KerasTestFiles.H5Weight;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** Imports the real Keras .h5 fixtures and checks structure, shapes and every weight against the file read directly with jhdf. */
class KerasFixtureImportTest {
    static final Path MNIST = SharedFixtures.fixture("keras/tinymaix_mnist_dw.h5");
    static final Path MBNET = SharedFixtures.fixture("keras/tinymaix_mbnet128_0.25.h5");
    static final Path AUDIO = SharedFixtures.fixture("keras/kendryte_model_compiler_audio_cnn_128x64.h5");
    static final Path WEIGHTS_ONLY = SharedFixtures.fixture("keras/magic_wand_cnn_weights_only.h5");

    @Test
    void mnistDwSequentialWithExplicitInputLayerImportsLayerForLayer() throws Exception {
        ImportedKerasModel m = KerasImporter.importFile(MNIST);
        Graph g = m.graph();
        assertThat(m.format()).isEqualTo(KerasFormat.KERAS2_H5);
        assertThat(m.kerasVersion()).isEqualTo("2.8.0");
        assertThat(names(g)).containsExactly("ftr0a_input", "ftr0a", "bn0", "relu0", "ftr0b", "batch_normalization", "relu00",
                "ftr1a", "bn1", "relu1", "ftr1b", "batch_normalization_1", "relu11", "GAP", "fc1", "sm");
        assertThat(m.inputs()).hasSize(1);
        assertThat(m.inputs().get(0).shape()).isEqualTo(TensorShape.hwc(28, 28, 1));
        assertThat(g.layerNamed("ftr0a").params()).isEqualTo(new Conv2D(4, 3, 3, 2, 2, Padding.SAME, 1, 1, true, ActivationFn.LINEAR));
        assertThat(g.layerNamed("ftr1b").params()).isEqualTo(new DepthwiseConv2D(3, 3, 1, 1, Padding.SAME, 2, 1, 1, true, ActivationFn.LINEAR));
        assertThat(g.layerNamed("GAP").params()).isEqualTo(new GlobalAveragePooling2D(false));
        assertThat(g.layerNamed("sm").params()).isEqualTo(new Activation(ActivationFn.SOFTMAX));
        ShapeResult s = ShapeInference.infer(g);
        assertThat(s.shape(g.layerNamed("ftr1b").id())).isEqualTo(TensorShape.hwc(7, 7, 32));
        assertThat(s.shape(g.layerNamed("sm").id())).isEqualTo(TensorShape.of(10));
        // training_config and optimizer_weights are present in this file and ignored
        assertThat(m.notes()).anyMatch(n -> n.contains("training configuration")).anyMatch(n -> n.contains("optimizer"));
        assertWeightsEqualFile(g, MNIST);
    }

    @Test
    void bnWeightsComeFromTheLayerGroupEvenWhenTheirScopeHasAnotherName() throws Exception {
        // layer "batch_normalization" keeps its variables under the scope "batch_normalization_2/": Keras loads by position
        Graph g = KerasImporter.importFile(MNIST).graph();
        Map<String, List<H5Weight>> file = KerasTestFiles.modelWeights(MNIST);
        assertThat(file.get("batch_normalization").get(0).name()).isEqualTo("batch_normalization_2/gamma:0");
        Layer bn = g.layerNamed("batch_normalization");
        assertThat(bn.weight("gamma").data()).containsExactly(file.get("batch_normalization").get(0).data());
        assertThat(bn.weight("moving_variance").data()).containsExactly(file.get("batch_normalization").get(3).data());
        assertThat(bn.params()).isEqualTo(new BatchNormalization(1e-3f));
    }

    @Test
    void mobilenetFunctionalImportsAllLayersWithExplicitPaddingReluSixAndKeepdims() throws Exception {
        ImportedKerasModel m = KerasImporter.importFile(MBNET);
        Graph g = m.graph();
        // the file's model_weights/layer_names lists every layer of the model (input included)
        assertThat(g.size()).isEqualTo(90);
        assertThat(names(g)).containsExactlyElementsOf(KerasTestFiles.layerNames(MBNET));
        assertThat(g.layerNamed("input_3").params()).isEqualTo(new Input(TensorShape.hwc(128, 128, 3)));
        assertThat(g.layerNamed("conv1").params()).isEqualTo(new Conv2D(8, 3, 3, 2, 2, Padding.SAME, 1, 1, false, ActivationFn.LINEAR));
        assertThat(g.layerNamed("conv1").weights()).containsOnlyKeys("kernel");
        assertThat(g.layerNamed("conv1_relu").params()).isEqualTo(new ReLU(6f, 0f, 0f));
        // ZeroPadding2D(((0, 1), (0, 1))) before each stride-2 depthwise conv, which is 'valid'
        assertThat(g.layerNamed("conv_pad_2").params()).isEqualTo(new ZeroPadding2D(0, 1, 0, 1));
        assertThat(g.layerNamed("conv_dw_2").params()).isEqualTo(new DepthwiseConv2D(3, 3, 2, 2, Padding.VALID, 1, 1, 1, false, ActivationFn.LINEAR));
        assertThat(g.layerNamed("global_average_pooling2d_2").params()).isEqualTo(new GlobalAveragePooling2D(true));
        assertThat(g.layerNamed("reshape_2").params()).isEqualTo(Reshape.to(1000));
        assertThat(g.outputIds()).containsExactly(g.layerNamed("predictions").id());
        ShapeResult s = ShapeInference.infer(g);
        assertThat(s.ok()).isTrue();
        assertThat(s.shape(g.layerNamed("conv_pw_13_relu").id())).isEqualTo(TensorShape.hwc(4, 4, 256));
        assertThat(s.shape(g.layerNamed("predictions").id())).isEqualTo(TensorShape.of(1000));
        assertWeightsEqualFile(g, MBNET);
    }

    @Test
    void kerasTwoTwoSequentialWithoutInputLayerGetsTheImplicitInputAndIgnoresTrainingState() throws Exception {
        ImportedKerasModel m = KerasImporter.importFile(AUDIO);
        Graph g = m.graph();
        assertThat(m.kerasVersion()).isEqualTo("2.2.4");
        assertThat(g.size()).isEqualTo(21);
        Layer in = g.layer(g.inputIds().get(0));
        assertThat(in.name()).isEqualTo("conv2d_1_input"); // Keras' own name for a Sequential's implicit input
        assertThat(in.params()).isEqualTo(new Input(TensorShape.hwc(128, 64, 1)));
        assertThat(g.layerNamed("max_pooling2d_4").params()).isEqualTo(MaxPooling2D.of(2, 2, Padding.VALID));
        assertThat(g.layerNamed("batch_normalization_1").params()).isEqualTo(new BatchNormalization(1e-3f));
        assertThat(ShapeInference.infer(g).shape(g.layerNamed("flatten_1").id())).isEqualTo(TensorShape.of(1024));
        assertThat(m.notes()).hasSize(2);
        assertWeightsEqualFile(g, AUDIO);
    }

    @Test
    void weightsOnlyFileIsRefusedWithTheCauseAndTheFix() {
        assertThatThrownBy(() -> KerasImporter.importFile(WEIGHTS_ONLY))
                .isInstanceOf(KerasImportException.class)
                .hasMessageContaining("holds only weights")
                .hasMessageContaining("save_weights()")
                .hasMessageContaining("model.save(\"model.h5\")")
                .hasMessageContaining("conv2d");
    }

    /** Every weight of every layer equals the dataset the file lists for it in weight_names (read with jhdf directly). */
    static void assertWeightsEqualFile(Graph g, Path h5) {
        Map<String, List<H5Weight>> file = KerasTestFiles.modelWeights(h5);
        int compared = 0;
        for (Layer l : g.layers()) {
            List<H5Weight> ws = file.getOrDefault(l.name(), List.of());
            assertThat(l.weights().size()).as("weights of %s", l.name()).isEqualTo(ws.size());
            List<Tensor> mine = new ArrayList<>(l.weights().values());
            for (int i = 0; i < ws.size(); i++) {
                assertThat(mine.get(i).shape()).as("%s %s", l.name(), ws.get(i).name()).containsExactly(ws.get(i).shape());
                assertThat(mine.get(i).data()).as("%s %s", l.name(), ws.get(i).name()).containsExactly(ws.get(i).data());
                compared++;
            }
        }
        assertThat(compared).isPositive();
    }

    static List<String> names(Graph g) {
        List<String> out = new ArrayList<>();
        for (String id : g.topologicalOrder()) {
            out.add(g.layer(id).name());
        }
        return out;
    }
}
