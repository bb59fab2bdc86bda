package k210studio.converter.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.*;
import k210studio.ir.samples.SampleNetworks;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A design written as a Keras 2 full-model .h5 (model_config + model_weights, the layout of the real
 * fixtures) imports back as the same network: same names, order, edges, parameters and weights.
 */
class KerasH5WriterTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"brief_two_class", "brief_needs_fixing", "mobilenet_style"})
    void sampleNetworksRoundTripThroughKerasH5(String sample) throws Exception {
        Graph g = SampleNetworks.project(sample).graph();
        Path f = tmp.resolve(sample + ".h5");
        KerasH5Writer.write(g, f);
        ImportedKerasModel back = KerasImporter.importFile(f);
        assertSameNetwork(back.graph(), g);
    }

    @Test
    void importedFixtureRoundTripsThroughKerasH5() throws Exception {
        Graph g = KerasImporter.importFile(KerasFixtureImportTest.MBNET).graph();
        Path f = tmp.resolve("mbnet.h5");
        KerasH5Writer.write(g, f);
        assertSameNetwork(KerasImporter.importFile(f).graph(), g);
    }

    @Test
    void branchesMergesAndLayerVariantsRoundTrip() throws Exception {
        Random r = new Random(5);
        Graph g = new Graph("variants");
        String in = g.add("image", new Input(TensorShape.hwc(12, 12, 3)));
        String sep = g.add("sep", new SeparableConv2D(6, 3, 3, 1, 1, Padding.SAME, 2, true, ActivationFn.leakyRelu(0.1f)),
                Map.of("depthwise_kernel", rand(r, 3, 3, 3, 2), "pointwise_kernel", rand(r, 1, 1, 6, 6), "bias", rand(r, 6)), in);
        String tr = g.add("up", new Conv2DTranspose(4, 2, 2, 2, 2, Padding.VALID, false, ActivationFn.RELU6),
                Map.of("kernel", rand(r, 2, 2, 4, 6)), sep);
        String bn = g.add("bn", new BatchNormalization(1e-5f), Map.of("gamma", ones(4), "beta", Tensor.zeros(4),
                "moving_mean", rand(r, 4), "moving_variance", ones(4)), tr);
        g.replaceLayer(g.layer(bn).withNotes(Map.of("keras.center", "false", "keras.scale", "false")));
        String pr = g.add("prelu", new PReLU(), Map.of("alpha", rand(r, 1, 1, 4)), bn);
        String pool = g.add("pool", new AveragePooling2D(3, 3, 2, 2, Padding.SAME), pr);
        String side = g.add("side", new MaxPooling2D(2, 2, 2, 2, Padding.VALID), tr);
        String sum = g.add("sum", new Multiply(), pool, side);
        String cat = g.add("cat", new Concatenate(3), sum, pool);
        String gmp = g.add("gmp", new GlobalMaxPooling2D(false), cat);
        String rs = g.add("rs", Reshape.to(2, 4), gmp);
        g.add("sm", new Softmax(-1), rs);
        Path f = tmp.resolve("variants.h5");
        KerasH5Writer.write(g, f);
        Graph back = KerasImporter.importFile(f).graph();
        assertSameNetwork(back, g);
        // center/scale=false survive because beta is all 0 and gamma all 1
        assertThat(back.layerNamed("bn").notes()).containsEntry("keras.center", "false").containsEntry("keras.scale", "false");
    }

    @Test
    void layersWithoutWeightsAreRefusedWithTheReason() {
        Graph g = new Graph("no_weights");
        String in = g.add("x", new Input(TensorShape.of(3)));
        g.add("fc", new Dense(2, true, ActivationFn.LINEAR), in);
        assertThatThrownBy(() -> KerasH5Writer.write(g, tmp.resolve("n.h5"))).isInstanceOf(KerasExportException.class)
                .hasMessageContaining("'fc' (Dense)").hasMessageContaining("'kernel'");
    }

    static void assertSameNetwork(Graph back, Graph g) {
        List<String> names = KerasFixtureImportTest.names(g);
        assertThat(KerasFixtureImportTest.names(back)).isEqualTo(names);
        for (String n : names) {
            Layer a = back.layerNamed(n);
            Layer b = g.layerNamed(n);
            assertThat(a.params()).as("params of %s", n).isEqualTo(b.params());
            assertThat(a.weights().keySet()).as("weights of %s", n).isEqualTo(b.weights().keySet());
            for (String k : b.weights().keySet()) {
                assertThat(a.weight(k)).as("%s %s", n, k).isEqualTo(b.weight(k));
            }
            assertThat(back.inputsOf(a.id()).stream().map(id -> back.layer(id).name()).toList())
                    .isEqualTo(g.inputsOf(b.id()).stream().map(id -> g.layer(id).name()).toList());
        }
        assertThat(back.outputIds().stream().map(id -> back.layer(id).name()).toList())
                .isEqualTo(g.outputIds().stream().map(id -> g.layer(id).name()).toList());
    }

    static Tensor rand(Random r, int... shape) {
        return Tensor.gaussian(r, 1, shape);
    }

    static Tensor ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return new Tensor(new int[] {n}, v);
    }
}
