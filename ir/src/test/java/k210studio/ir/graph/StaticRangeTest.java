package k210studio.ir.graph;

import static org.assertj.core.api.Assertions.assertThat;

import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/**
 * The value ranges the checker and the compiler use to find activations that do nothing (a ReLU after Flatten of a
 * ReLU conv, as in the Kendryte audio CNN): what bounds a layer's output, what keeps the bound, what loses it.
 */
class StaticRangeTest {
    private final Graph g = new Graph("ranges");
    private final String in = g.add("image", new Input(TensorShape.hwc(8, 8, 3)));

    @Test
    void activationsBoundTheirOutputAndLinearLayersDoNot() {
        String relu = g.add("relu_conv", Conv2D.of(4, 3, 1, Padding.SAME).withActivation(ActivationFn.RELU), in);
        String relu6 = g.add("relu6", new ReLU(6f, 0f, 0f), relu);
        String tanh = g.add("tanh", new Activation(ActivationFn.TANH), relu);
        String linear = g.add("linear_conv", Conv2D.of(4, 3, 1, Padding.SAME), in);
        assertThat(StaticRange.of(g, relu)).isEqualTo(new StaticRange(0f, Float.POSITIVE_INFINITY, relu));
        assertThat(StaticRange.of(g, relu6)).isEqualTo(new StaticRange(0f, 6f, relu6));
        assertThat(StaticRange.of(g, tanh)).isEqualTo(new StaticRange(-1f, 1f, tanh));
        assertThat(StaticRange.of(g, linear)).isNull();
        assertThat(StaticRange.of(g, in)).isNull();
    }

    @Test
    void movingAndAveragingLayersKeepTheRangeZeroPaddingAddsZero() {
        String sig = g.add("sig", Conv2D.of(4, 1, 1, Padding.SAME).withActivation(ActivationFn.SIGMOID), in);
        String pad = g.add("pad", new ZeroPadding2D(1, 1, 1, 1), sig);
        String gap = g.add("gap", new GlobalAveragePooling2D(false), pad);
        assertThat(StaticRange.of(g, gap)).isEqualTo(new StaticRange(0f, 1f, sig));
        String tanh = g.add("tanh", Conv2D.of(4, 1, 1, Padding.SAME).withActivation(ActivationFn.TANH), in);
        String tpad = g.add("tpad", new ZeroPadding2D(0, 1, 0, 1), tanh);
        assertThat(StaticRange.of(g, tpad)).isEqualTo(new StaticRange(-1f, 1f, tanh));
    }

    @Test
    void concatenateIsTheUnionAndUnknownWhenOneInputIsUnbounded() {
        String a = g.add("a", Conv2D.of(4, 1, 1, Padding.SAME).withActivation(ActivationFn.RELU6), in);
        String b = g.add("b", Conv2D.of(4, 1, 1, Padding.SAME).withActivation(ActivationFn.SIGMOID), in);
        String c = g.add("c", Conv2D.of(4, 1, 1, Padding.SAME), in);
        String ab = g.add("ab", new Concatenate(-1), a, b);
        String abc = g.add("abc", new Concatenate(-1), a, b, c);
        assertThat(StaticRange.of(g, ab)).extracting(StaticRange::lo, StaticRange::hi).containsExactly(0f, 6f);
        assertThat(StaticRange.of(g, abc)).isNull();
    }

    @Test
    void identityOnlyWhenTheFunctionCannotChangeAnyValue() {
        String relu = g.add("relu_conv", Conv2D.of(4, 3, 1, Padding.SAME).withActivation(ActivationFn.RELU), in);
        String flat = g.add("flat", new Flatten(), relu);
        String sixes = g.add("fc6", new Dense(10, true, ActivationFn.RELU6), flat);
        assertThat(StaticRange.makesIdentity(ActivationFn.RELU, g, flat)).isNotNull();
        assertThat(StaticRange.makesIdentity(ActivationFn.leakyRelu(0.1f), g, flat)).isNotNull();
        assertThat(StaticRange.makesIdentity(ActivationFn.RELU6, g, flat)).as("values above 6 are clipped").isNull();
        assertThat(StaticRange.makesIdentity(ActivationFn.RELU6, g, sixes)).isNotNull();
        assertThat(StaticRange.makesIdentity(ActivationFn.SIGMOID, g, sixes)).isNull();
        assertThat(StaticRange.makesIdentity(ActivationFn.RELU, g, in)).as("raw input: unbounded").isNull();
    }
}
