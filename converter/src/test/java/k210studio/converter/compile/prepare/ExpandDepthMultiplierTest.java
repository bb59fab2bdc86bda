package k210studio.converter.compile.prepare;

import static k210studio.converter.compile.PassTesting.applyTo;
import static k210studio.converter.compile.PassTesting.assertLeavesUnchanged;
import static k210studio.converter.compile.PassTesting.maxOutputDifference;
import static k210studio.converter.compile.PassTesting.named;
import static k210studio.converter.compile.PassTesting.random;
import static k210studio.converter.compile.PassTesting.structure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class ExpandDepthMultiplierTest {
    private final ExpandDepthMultiplier pass = new ExpandDepthMultiplier();

    private static Graph depthwise(int multiplier, int stride, boolean bias) {
        Graph g = new Graph("dm");
        String in = g.add("image", new Input(TensorShape.hwc(10, 10, 3)));
        DepthwiseConv2D d = new DepthwiseConv2D(3, 3, stride, stride, Padding.SAME, multiplier, 1, 1, bias, ActivationFn.RELU6);
        Map<String, Tensor> w = bias
                ? Map.of("depthwise_kernel", random(1, 3, 3, 3, multiplier), "bias", random(2, 3 * multiplier))
                : Map.of("depthwise_kernel", random(1, 3, 3, 3, multiplier));
        String dw = g.add("dw", d, w, in);
        g.add("pw", Conv2D.of(4, 1, 1, Padding.SAME), Map.of("kernel", random(3, 1, 1, 3 * multiplier, 4), "bias", random(4, 4)), dw);
        return g;
    }

    // pins: depth multiplier 4 → a Conv2D with 12 filters whose kernel is zero outside each input channel's 4 outputs
    // (person_detect's first op), same geometry, bias and activation; the output is the same
    @Test
    void depthMultiplierBecomesABlockDiagonalConv() {
        Graph g = depthwise(4, 1, true);
        Graph before = applyTo(pass, g);

        assertThat(structure(g)).containsExactly("image: InputLayer", "dw: Conv2D ← image", "pw: Conv2D ← dw");
        assertThat(named(g, "dw").params()).isEqualTo(new Conv2D(12, 3, 3, 1, 1, Padding.SAME, 1, 1, true, ActivationFn.RELU6));
        Tensor k = named(g, "dw").weight("kernel");
        assertThat(k.shape()).containsExactly(3, 3, 3, 12);
        for (int i = 0; i < k.size(); i++) {
            int in = i / 12 % 3;
            int out = i % 12;
            if (out / 4 != in) {
                assertThat(k.get(i)).as("kernel[%d] (in %d → out %d)", i, in, out).isZero();
            }
        }
        assertThat(named(g, "dw").weight("bias")).isEqualTo(named(before, "dw").weight("bias"));
        assertThat(maxOutputDifference(before, g, 5)).isLessThan(1e-5);
    }

    // pins: stride 2 without a bias expands the same way (no bias weight appears)
    @Test
    void strideTwoWithoutBias() {
        Graph g = depthwise(2, 2, false);
        Graph before = applyTo(pass, g);

        Conv2D c = (Conv2D) named(g, "dw").params();
        assertThat(c.filters()).isEqualTo(6);
        assertThat(c.strideH()).isEqualTo(2);
        assertThat(c.useBias()).isFalse();
        assertThat(named(g, "dw").weights()).containsOnlyKeys("kernel");
        assertThat(maxOutputDifference(before, g, 6)).isLessThan(1e-5);
    }

    // pins: a depth multiplier of 1 is a plain depthwise conv the KPU runs as such: left unchanged
    @Test
    void multiplierOneIsUnchanged() {
        Graph g = depthwise(1, 1, true);
        assertLeavesUnchanged(pass, g);
    }
}
