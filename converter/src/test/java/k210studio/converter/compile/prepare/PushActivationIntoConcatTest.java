package k210studio.converter.compile.prepare;

import static k210studio.converter.compile.PassTesting.applyTo;
import static k210studio.converter.compile.PassTesting.assertLeavesUnchanged;
import static k210studio.converter.compile.PassTesting.maxOutputDifference;
import static k210studio.converter.compile.PassTesting.named;
import static k210studio.converter.compile.PassTesting.outputNames;
import static k210studio.converter.compile.PassTesting.random;
import static k210studio.converter.compile.PassTesting.structure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.tensor.TensorShape;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

class PushActivationIntoConcatTest {
    private final PushActivationIntoConcat pass = new PushActivationIntoConcat();

    /** image → conv_a, dw_b (linear) → concat → act → conv_after. */
    private static Graph concatThenAct(LayerParams act) {
        Graph g = new Graph("ctx");
        String in = g.add("image", new Input(TensorShape.hwc(8, 8, 3)));
        String a = g.add("conv_a", Conv2D.of(4, 3, 1, Padding.SAME), Map.of("kernel", random(1, 3, 3, 3, 4), "bias", random(2, 4)), in);
        String b = g.add("dw_b", DepthwiseConv2D.of(3, 1, Padding.SAME), Map.of("depthwise_kernel", random(3, 3, 3, 3, 1),
                "bias", random(4, 3)), in);
        String cat = g.add("cat", Concatenate.channels(), a, b);
        String x = g.add("act", act, cat);
        g.add("conv_after", Conv2D.of(2, 1, 1, Padding.SAME), Map.of("kernel", random(5, 1, 1, 7, 2), "bias", random(6, 2)), x);
        return g;
    }

    // pins: act(concat(conv, depthwise)) → concat(conv+act, depthwise+act): the activation layer is gone, each input
    // conv carries it, the concat feeds what the activation fed, and the output is the same
    @Test
    void activationMovesOntoEachConcatenatedConv() {
        Graph g = concatThenAct(new LeakyReLU(0.1f));
        Graph before = applyTo(pass, g);

        assertThat(structure(g)).containsExactly("image: InputLayer", "conv_a: Conv2D ← image", "dw_b: DepthwiseConv2D ← image",
                "cat: Concatenate ← conv_a, dw_b", "conv_after: Conv2D ← cat");
        assertThat(((Conv2D) named(g, "conv_a").params()).activation()).isEqualTo(ActivationFn.leakyRelu(0.1f));
        assertThat(((DepthwiseConv2D) named(g, "dw_b").params()).activation()).isEqualTo(ActivationFn.leakyRelu(0.1f));
        assertThat(maxOutputDifference(before, g, 1)).isLessThan(1e-6);
    }

    // pins: an activation that is the network output hands it to the concatenation
    @Test
    void anOutputActivationHandsTheOutputToTheConcat() {
        Graph g = concatThenAct(ReLU.plain());
        g.setOutputs(List.of(named(g, "act").id()));
        Graph before = applyTo(pass, g);

        assertThat(outputNames(g)).containsExactly("cat");
        assertThat(maxOutputDifference(before, g, 2)).isLessThan(1e-6);
    }

    // pins: unchanged when the activation is not element-wise (softmax), an input is not a conv, a conv already has
    // an activation, a conv also feeds another layer, the concat feeds two layers, or one conv is concatenated twice
    @Test
    void noPushWhereItWouldChangeWhatIsComputed() {
        Graph softmax = concatThenAct(new Activation(ActivationFn.SOFTMAX));

        Graph notConv = concatThenAct(ReLU.plain());
        notConv.disconnect(named(notConv, "cat").id(), 1);
        notConv.connect(named(notConv, "image").id(), named(notConv, "cat").id(), 1);
        notConv.removeLayer(named(notConv, "dw_b").id());

        Graph activated = concatThenAct(ReLU.plain());
        Layer a = named(activated, "conv_a");
        activated.replaceLayer(a.withParams(((Conv2D) a.params()).withActivation(ActivationFn.RELU6)));

        Graph convFansOut = concatThenAct(ReLU.plain());
        convFansOut.add("side", ReLU.plain(), named(convFansOut, "conv_a").id());

        Graph concatFansOut = concatThenAct(ReLU.plain());
        concatFansOut.add("side", ReLU.plain(), named(concatFansOut, "cat").id());

        Graph twice = concatThenAct(ReLU.plain());
        twice.disconnect(named(twice, "cat").id(), 1);
        twice.connect(named(twice, "conv_a").id(), named(twice, "cat").id(), 1);
        twice.removeLayer(named(twice, "dw_b").id());
        Layer after = named(twice, "conv_after");
        twice.replaceLayer(after.withWeights(Map.of("kernel", random(5, 1, 1, 8, 2), "bias", random(6, 2))));

        assertLeavesUnchanged(pass, softmax, notConv, activated, convFansOut, concatFansOut, twice);
    }

    // pins: ULFFD (the released K210 face detector) has SSH-style context modules, conv branches → Concatenate →
    // activation; after the pass no Concatenate is followed by an element-wise activation and the outputs are the same
    @Test
    void ulffdContextModulesGetTheirActivationsPushed() throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture("tflite/nncase_ulffd_landmark.tflite")).graph();
        new FoldBatchNorm().apply(g);
        Graph before = g.copy();
        assertThat(concatsFollowedByActivation(before)).isPositive();

        pass.apply(g);

        assertThat(concatsFollowedByActivation(g)).isZero();
        assertThat(maxOutputDifference(before, g, 3)).isLessThan(1e-5);
    }

    private static long concatsFollowedByActivation(Graph g) {
        return g.layers().stream().filter(l -> l.params() instanceof Concatenate).filter(l -> g.consumersOf(l.id()).stream()
                .anyMatch(c -> GraphEdits.elementwise(g.layer(c).params()) != null)).count();
    }
}
