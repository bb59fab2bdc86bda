package k210studio.converter.compile.lower;

import static k210studio.converter.compile.PassTesting.named;
import static k210studio.converter.compile.PassTesting.random;
import static k210studio.converter.compile.PassTesting.startingWith;
import static k210studio.converter.compile.lower.Lowerings.context;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Input;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class DenseOnKpuTest {

    /** A vector of {@code in} values → Dense(units, act). */
    private static Graph dense(int in, int units, ActivationFn act) {
        Graph g = new Graph("dense");
        String x = g.add("vec", new Input(TensorShape.of(in)));
        g.add("fc", new Dense(units, true, act), Map.of("kernel", random(1, in, units), "bias", random(2, units)), x);
        return g;
    }

    private static boolean onKpu(Graph g, CompileOptions opt) {
        Set<String> ids = DenseOnKpu.run(context(g, opt));
        return ids.contains(named(g, "fc").id());
    }

    private static boolean onKpu(Graph g, QuantRules t) {
        return onKpu(g, CompileOptions.defaults(t));
    }

    // pins nncase's threshold: a Dense with at least 1024 weights (64 × 16) goes to the KPU, one with 1023 (93 × 11) stays
    // a float CPU layer; the threshold is the option's
    @Test
    void theWeightCountDecides() {
        assertThat(onKpu(dense(64, 16, ActivationFn.RELU), QuantRules.V4)).isTrue();
        assertThat(onKpu(dense(64, 16, ActivationFn.RELU), QuantRules.V3)).isTrue();
        assertThat(onKpu(dense(93, 11, ActivationFn.RELU), QuantRules.V4)).isFalse();
        assertThat(onKpu(dense(93, 11, ActivationFn.RELU), CompileOptions.defaults(QuantRules.V4).withKpuDenseMinWeights(1000))).isTrue();
        assertThat(onKpu(dense(64, 16, ActivationFn.RELU), CompileOptions.defaults(QuantRules.V4).withKpuDenseMinWeights(5000))).isFalse();
    }

    // pins the KPU's channel limit: more than 1024 inputs or outputs stays on the CPU, however many weights
    @Test
    void moreThan1024ChannelsStayOnTheCpu() {
        assertThat(onKpu(dense(1024, 1024, ActivationFn.LINEAR), QuantRules.V4)).isTrue();
        assertThat(onKpu(dense(1025, 8, ActivationFn.LINEAR), QuantRules.V4)).isFalse();
        assertThat(onKpu(dense(8, 1025, ActivationFn.LINEAR), QuantRules.V4)).isFalse();
    }

    // pins: V3's KPU has fixed activation tables (linear, relu, relu6, leaky): a sigmoid/softmax Dense stays on the CPU
    // there, while V4 fits any element-wise activation table — but softmax (over the whole vector) is no table on either
    @Test
    void theKpuNeedsAnActivationTableForTheDensesActivation() {
        assertThat(onKpu(dense(64, 32, ActivationFn.leakyRelu(0.1f)), QuantRules.V3)).isTrue();
        assertThat(onKpu(dense(64, 32, ActivationFn.SIGMOID), QuantRules.V3)).isFalse();
        assertThat(onKpu(dense(64, 32, ActivationFn.SOFTMAX), QuantRules.V3)).isFalse();
        assertThat(onKpu(dense(64, 32, ActivationFn.SIGMOID), QuantRules.V4)).isTrue();
        assertThat(onKpu(dense(64, 32, ActivationFn.TANH), QuantRules.V4)).isTrue();
        assertThat(onKpu(dense(64, 32, ActivationFn.SOFTMAX), QuantRules.V4)).isFalse();
    }

    // pins the real MobileNet head: mbnet128's Dense 256 → 1000 (256 000 weights, ≤ 1024 channels) runs on the KPU
    @Test
    void mobilenetHeadRunsOnTheKpu() throws Exception {
        Graph g = Lowerings.mbnet128();
        for (QuantRules t : QuantRules.values()) {
            assertThat(DenseOnKpu.run(context(g, t))).containsExactly(startingWith(g, "conv_preds").id());
        }
    }
}
