package k210studio.converter.compile.prepare;

import static k210studio.converter.compile.PassTesting.applyTo;
import static k210studio.converter.compile.PassTesting.assertLeavesUnchanged;
import static k210studio.converter.compile.PassTesting.maxOutputDifference;
import static k210studio.converter.compile.PassTesting.named;
import static k210studio.converter.compile.PassTesting.outputNames;
import static k210studio.converter.compile.PassTesting.random;
import static k210studio.converter.compile.PassTesting.structure;
import static k210studio.converter.compile.PassTesting.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class FoldBatchNormTest {
    private final FoldBatchNorm pass = new FoldBatchNorm();

    /** Keras-like statistics: γ ∈ [0.5, 1.5), β and μ Gaussian, σ² ∈ [0.2, 2). */
    private static Map<String, Tensor> bnWeights(long seed, int c) {
        return Map.of("gamma", uniform(seed, 0.5f, 1.5f, c), "beta", random(seed + 1, c), "moving_mean", random(seed + 2, c),
                "moving_variance", uniform(seed + 3, 0.2f, 2f, c));
    }

    /** image → conv → BN → ReLU. */
    private static Graph convBn(LayerParams conv, Map<String, Tensor> convWeights, int channels) {
        Graph g = new Graph("bn");
        String in = g.add("image", new Input(TensorShape.hwc(8, 8, 3)));
        String c = g.add("conv", conv, convWeights, in);
        String bn = g.add("bn", BatchNormalization.keras(), bnWeights(20, channels), c);
        g.add("relu", ReLU.plain(), bn);
        return g;
    }

    // pins: conv (no bias) → BN folds into the conv's kernel and a new bias; the folded conv's output equals conv → BN
    // within 1e-5 in the float evaluator, and the BN layer is gone
    @Test
    void batchNormFoldsIntoABiasFreeConv() {
        Graph g = convBn(new Conv2D(6, 3, 3, 1, 1, Padding.SAME, 1, 1, false, ActivationFn.LINEAR),
                Map.of("kernel", random(1, 3, 3, 3, 6)), 6);
        Graph before = applyTo(pass, g);

        assertThat(structure(g)).containsExactly("image: InputLayer", "conv: Conv2D ← image", "relu: ReLU ← conv");
        assertThat(((Conv2D) named(g, "conv").params()).useBias()).isTrue();
        assertThat(named(g, "conv").weight("bias").shape()).containsExactly(6);
        assertThat(maxOutputDifference(before, g, 3)).isLessThan(1e-5);
    }

    // pins: an existing conv bias is scaled and shifted along with the kernel (y = k·(conv + b − μ) + β)
    @Test
    void batchNormFoldsIntoAConvWithBias() {
        Graph g = convBn(Conv2D.of(6, 3, 2, Padding.SAME), Map.of("kernel", random(1, 3, 3, 3, 6), "bias", random(2, 6)), 6);
        Graph before = applyTo(pass, g);

        assertThat(g.layerNamed("bn")).isNull();
        assertThat(maxOutputDifference(before, g, 4)).isLessThan(1e-5);
    }

    // pins: a depthwise conv folds too (per channel: depthwise_kernel [kh, kw, C, 1]) and gets a bias
    @Test
    void batchNormFoldsIntoADepthwiseConv() {
        Graph g = convBn(new DepthwiseConv2D(3, 3, 1, 1, Padding.SAME, 1, 1, 1, false, ActivationFn.LINEAR),
                Map.of("depthwise_kernel", random(1, 3, 3, 3, 1)), 3);
        Graph before = applyTo(pass, g);

        assertThat(structure(g)).containsExactly("image: InputLayer", "conv: DepthwiseConv2D ← image", "relu: ReLU ← conv");
        assertThat(((DepthwiseConv2D) named(g, "conv").params()).useBias()).isTrue();
        assertThat(maxOutputDifference(before, g, 5)).isLessThan(1e-5);
    }

    // pins: a BN that is the network output hands it to the folded conv
    @Test
    void anOutputBatchNormHandsTheOutputToTheConv() {
        Graph g = new Graph("bn_out");
        String in = g.add("image", new Input(TensorShape.hwc(8, 8, 3)));
        String c = g.add("conv", Conv2D.of(4, 1, 1, Padding.SAME), Map.of("kernel", random(1, 1, 1, 3, 4), "bias", random(2, 4)), in);
        String bn = g.add("bn", BatchNormalization.keras(), bnWeights(30, 4), c);
        g.setOutputs(List.of(bn));
        Graph before = applyTo(pass, g);

        assertThat(outputNames(g)).containsExactly("conv");
        assertThat(maxOutputDifference(before, g, 6)).isLessThan(1e-5);
    }

    // pins: no fold when the conv has a non-linear activation (BN(relu(x)) ≠ relu folded), when the conv also feeds
    // another layer or is an output itself (its unnormalised value is still needed), or when BN follows a non-conv
    @Test
    void noFoldWhereTheConvOutputIsNotTheBatchNormsAlone() {
        Graph act = convBn(new Conv2D(6, 3, 3, 1, 1, Padding.SAME, 1, 1, false, ActivationFn.RELU),
                Map.of("kernel", random(1, 3, 3, 3, 6)), 6);

        Graph twoConsumers = new Graph("two");
        String in = twoConsumers.add("image", new Input(TensorShape.hwc(8, 8, 3)));
        String c = twoConsumers.add("conv", Conv2D.of(3, 1, 1, Padding.SAME), Map.of("kernel", random(1, 1, 1, 3, 3), "bias", random(2, 3)), in);
        String bn = twoConsumers.add("bn", BatchNormalization.keras(), bnWeights(40, 3), c);
        twoConsumers.add("sum", new Add(), bn, c);

        Graph convIsOutput = new Graph("conv_out");
        String in2 = convIsOutput.add("image", new Input(TensorShape.hwc(8, 8, 3)));
        String c2 = convIsOutput.add("conv", Conv2D.of(3, 1, 1, Padding.SAME), Map.of("kernel", random(1, 1, 1, 3, 3), "bias", random(2, 3)), in2);
        String bn2 = convIsOutput.add("bn", BatchNormalization.keras(), bnWeights(50, 3), c2);
        convIsOutput.setOutputs(List.of(c2, bn2));

        Graph afterAdd = new Graph("after_add");
        String in3 = afterAdd.add("image", new Input(TensorShape.hwc(8, 8, 3)));
        String sum = afterAdd.add("sum", new Add(), in3, in3);
        afterAdd.add("bn", BatchNormalization.keras(), bnWeights(60, 3), sum);

        assertLeavesUnchanged(pass, act, twoConsumers, convIsOutput, afterAdd);
    }
}
