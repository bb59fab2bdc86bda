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
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.SeparableConv2D;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class SplitSeparableConvTest {
    private final SplitSeparableConv pass = new SplitSeparableConv();

    private static Graph separable(int stride, int multiplier, boolean bias, ActivationFn act) {
        Graph g = new Graph("sep");
        String in = g.add("image", new Input(TensorShape.hwc(9, 9, 3)));
        SeparableConv2D s = new SeparableConv2D(5, 3, 3, stride, stride, Padding.SAME, multiplier, bias, act);
        Map<String, k210studio.ir.tensor.Tensor> w = bias
                ? Map.of("depthwise_kernel", random(1, 3, 3, 3, multiplier), "pointwise_kernel", random(2, 1, 1, 3 * multiplier, 5),
                        "bias", random(3, 5))
                : Map.of("depthwise_kernel", random(1, 3, 3, 3, multiplier), "pointwise_kernel", random(2, 1, 1, 3 * multiplier, 5));
        String sep = g.add("sep", s, w, in);
        g.add("gap", new GlobalAveragePooling2D(false), sep);
        return g;
    }

    // pins: SeparableConv2D → linear bias-free depthwise (new layer "<name>_depthwise") + 1×1 conv that keeps the name,
    // the bias, the activation and the consumers; the pair computes what the separable conv did
    @Test
    void separableBecomesDepthwiseThenPointwise() {
        Graph g = separable(1, 1, true, ActivationFn.RELU6);
        Graph before = applyTo(pass, g);

        assertThat(structure(g)).containsExactly("image: InputLayer", "sep_depthwise: DepthwiseConv2D ← image",
                "sep: Conv2D ← sep_depthwise", "gap: GlobalAveragePooling2D ← sep");
        DepthwiseConv2D dw = (DepthwiseConv2D) named(g, "sep_depthwise").params();
        assertThat(dw).isEqualTo(new DepthwiseConv2D(3, 3, 1, 1, Padding.SAME, 1, 1, 1, false, ActivationFn.LINEAR));
        assertThat(named(g, "sep").params()).isEqualTo(new Conv2D(5, 1, 1, 1, 1, Padding.VALID, 1, 1, true, ActivationFn.RELU6));
        assertThat(named(g, "sep").weights()).containsOnlyKeys("kernel", "bias");
        assertThat(maxOutputDifference(before, g, 11)).isLessThan(1e-5);
    }

    // pins: the stride and the depth multiplier go to the depthwise half (the 1×1 conv reads C·m channels), exactly
    @Test
    void strideAndDepthMultiplierStayOnTheDepthwiseHalf() {
        Graph g = separable(2, 2, false, ActivationFn.LINEAR);
        Graph before = applyTo(pass, g);

        DepthwiseConv2D dw = (DepthwiseConv2D) named(g, "sep_depthwise").params();
        assertThat(dw.strideH()).isEqualTo(2);
        assertThat(dw.depthMultiplier()).isEqualTo(2);
        assertThat(named(g, "sep").weight("kernel").shape()).containsExactly(1, 1, 6, 5);
        assertThat(named(g, "sep").weights()).containsOnlyKeys("kernel");
        assertThat(maxOutputDifference(before, g, 12)).isLessThan(1e-5);
    }

    // pins: a separable conv that is the network output stays the output under its own name (the 1×1 half)
    @Test
    void anOutputSeparableConvStaysTheOutput() {
        Graph g = separable(1, 1, true, ActivationFn.LINEAR);
        g.setOutputs(List.of(named(g, "sep").id(), named(g, "gap").id()));
        Graph before = applyTo(pass, g);

        assertThat(outputNames(g)).containsExactly("sep", "gap");
        assertThat(maxOutputDifference(before, g, 13)).isLessThan(1e-5);
    }

    // pins: a graph without SeparableConv2D is left exactly as it was
    @Test
    void aGraphWithoutSeparableConvIsUnchanged() {
        Graph g = new Graph("plain");
        String in = g.add("image", new Input(TensorShape.hwc(4, 4, 3)));
        g.add("dw", DepthwiseConv2D.of(3, 1, Padding.SAME), Map.of("depthwise_kernel", random(1, 3, 3, 3, 1), "bias", random(2, 3)), in);
        assertLeavesUnchanged(pass, g);
    }
}
