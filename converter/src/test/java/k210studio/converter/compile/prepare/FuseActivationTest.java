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
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FuseActivationTest {
    private final FuseActivation pass = new FuseActivation();

    /** image → conv (linear, or as given) → act → pw. */
    private static Graph convThenAct(ActivationFn convAct, LayerParams act) {
        Graph g = new Graph("fuse");
        String in = g.add("image", new Input(TensorShape.hwc(6, 6, 3)));
        String c = g.add("conv", Conv2D.of(4, 3, 1, Padding.SAME).withActivation(convAct),
                Map.of("kernel", random(1, 3, 3, 3, 4), "bias", random(2, 4)), in);
        String a = g.add("act", act, c);
        g.add("pw", Conv2D.of(2, 1, 1, Padding.SAME), Map.of("kernel", random(3, 1, 1, 4, 2), "bias", random(4, 2)), a);
        return g;
    }

    // pins: each Keras spelling of an element-wise activation after a linear conv becomes that conv's activation
    // (ReLU, ReLU(max 6) = relu6, ReLU(negative_slope) and LeakyReLU = leaky, Activation('sigmoid')), same output
    @ParameterizedTest
    @ValueSource(strings = {"relu", "relu6", "slope", "leaky", "sigmoid"})
    void activationLayerBecomesTheConvsActivation(String kind) {
        LayerParams act = switch (kind) {
            case "relu" -> ReLU.plain();
            case "relu6" -> ReLU.relu6();
            case "slope" -> new ReLU(null, 0.2f, 0f);
            case "leaky" -> new LeakyReLU(0.1f);
            default -> new Activation(ActivationFn.SIGMOID);
        };
        ActivationFn want = switch (kind) {
            case "relu" -> ActivationFn.RELU;
            case "relu6" -> ActivationFn.RELU6;
            case "slope" -> ActivationFn.leakyRelu(0.2f);
            case "leaky" -> ActivationFn.leakyRelu(0.1f);
            default -> ActivationFn.SIGMOID;
        };
        Graph g = convThenAct(ActivationFn.LINEAR, act);
        Graph before = applyTo(pass, g);

        assertThat(structure(g)).containsExactly("image: InputLayer", "conv: Conv2D ← image", "pw: Conv2D ← conv");
        assertThat(((Conv2D) named(g, "conv").params()).activation()).isEqualTo(want);
        assertThat(maxOutputDifference(before, g, 1)).isLessThan(1e-6);
    }

    // pins: a depthwise conv takes the activation too, and an output activation hands the output to the conv
    @Test
    void depthwiseConvAndOutputActivation() {
        Graph g = new Graph("dw");
        String in = g.add("image", new Input(TensorShape.hwc(6, 6, 3)));
        String d = g.add("dw", DepthwiseConv2D.of(3, 1, Padding.SAME), Map.of("depthwise_kernel", random(1, 3, 3, 3, 1), "bias", random(2, 3)), in);
        String a = g.add("relu6", ReLU.relu6(), d);
        g.setOutputs(List.of(a));
        Graph before = applyTo(pass, g);

        assertThat(structure(g)).containsExactly("image: InputLayer", "dw: DepthwiseConv2D ← image");
        assertThat(outputNames(g)).containsExactly("dw");
        assertThat(((DepthwiseConv2D) named(g, "dw").params()).activation()).isEqualTo(ActivationFn.RELU6);
        assertThat(maxOutputDifference(before, g, 2)).isLessThan(1e-6);
    }

    // pins: unchanged when the conv already has an activation, feeds another layer too or is an output, when the
    // activation is not element-wise (softmax, ReLU with a threshold or a cap other than 6), or follows a non-conv (Add)
    @Test
    void noFusionWhereTheConvsRawOutputIsNeededOrTheActivationIsNoTable() {
        Graph activated = convThenAct(ActivationFn.RELU6, ReLU.plain());
        Graph softmax = convThenAct(ActivationFn.LINEAR, new Activation(ActivationFn.SOFTMAX));
        Graph threshold = convThenAct(ActivationFn.LINEAR, new ReLU(null, 0f, 0.5f));
        Graph capped = convThenAct(ActivationFn.LINEAR, new ReLU(4f, 0f, 0f));

        Graph fansOut = convThenAct(ActivationFn.LINEAR, ReLU.plain());
        fansOut.add("side", ReLU.plain(), named(fansOut, "conv").id());

        Graph convIsOutput = convThenAct(ActivationFn.LINEAR, ReLU.plain());
        convIsOutput.setOutputs(List.of(named(convIsOutput, "conv").id(), named(convIsOutput, "pw").id()));

        Graph afterAdd = new Graph("after_add");
        String in = afterAdd.add("image", new Input(TensorShape.hwc(6, 6, 3)));
        afterAdd.add("relu", ReLU.plain(), afterAdd.add("sum", new Add(), in, in));

        assertLeavesUnchanged(pass, activated, softmax, threshold, capped, fansOut, convIsOutput, afterAdd);
    }
}
