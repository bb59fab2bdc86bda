package k210studio.converter.evaluate.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.quant.QuantParam;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.quant.ValueRange;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Input;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sensitivity experiment on a graph small enough to count by hand: input (2) → a = identity Dense → b, where
 * b₀ = a₁ − 0.85 and b₁ = a₀ − 0.65. On x = (0.7, 0.95) float gives b = (0.10, 0.05): class 0. With a's output on the
 * V3 uint8 grid of [0, 0.8] (scale 255/0.8 = 318.75): 0.7·318.75 = 223.125 → 223 → 0.699608; 0.95 → 302.8 → clamped
 * 255 → 0.8. Then b = (−0.05, 0.049608): class 1, the top-1 flips; a clips; its SNR is
 * 10·log10((0.7² + 0.95²) / (0.000392² + 0.15²)) = 10·log10(1.3925 / 0.02250015) = 17.917 dB.
 */
class SiteTest {

    private static Graph graph() {
        Graph g = new Graph("tiny");
        String x = g.add("x", new Input(TensorShape.of(2)));
        String a = g.add("a", new Dense(2, true, ActivationFn.LINEAR),
                Map.of("kernel", Tensor.of(new int[] {2, 2}, 1, 0, 0, 1), "bias", Tensor.of(new int[] {2}, 0, 0)), x);
        g.add("b", new Dense(2, true, ActivationFn.LINEAR),
                Map.of("kernel", Tensor.of(new int[] {2, 2}, 0, 1, 1, 0), "bias", Tensor.of(new int[] {2}, -0.85f, -0.65f)), a);
        return g;
    }

    @Test
    @DisplayName("one layer on a too narrow grid: the top-1 flips, the layer clips, SNR and errors are the hand-computed ones")
    void handCounted() {
        Graph g = graph();
        Layer a = g.layerNamed("a");
        EvaluationResult ref = FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), Tensor.of(new int[] {2}, 0.7f, 0.95f)), true);
        assertThat(ref.output().data()).containsExactly(new float[] {0.10f, 0.05f}, within(1e-6f));
        Site s = new Site(a, QuantParam.v3(new ValueRange(0, 0.8f), 8), QuantRules.V3, a, List.of(g.layerNamed("b").id()));
        assertThat(s.grid().max()).isEqualTo(0.8f, within(1e-6f));
        Site.Outcome o = s.run(g, ref);
        assertThat(o.agrees()).isFalse();
        assertThat(o.clipped()).isTrue();
        assertThat(o.min()).isEqualTo(0.7f);
        assertThat(o.max()).isEqualTo(0.95f);
        double noise = Math.pow(0.7 - 223 / 318.75, 2) + Math.pow(0.95 - 0.8, 2);
        assertThat(o.gridError()).isCloseTo(noise, within(1e-6));
        assertThat(o.weightError()).isZero();
        assertThat(o.snrDb()).isCloseTo(10 * Math.log10(1.3925 / noise), within(1e-3)).isCloseTo(17.917, within(1e-3));

        // a wide enough grid [0, 1]: no clip, the class stays (0.7 → 178.5 → 178 (even) → 0.698039; 0.95 → 242.25 → 242)
        Site wide = new Site(a, QuantParam.v3(new ValueRange(0, 1f), 8), QuantRules.V3, a, List.of(g.layerNamed("b").id()));
        Site.Outcome w = wide.run(g, ref);
        assertThat(w.agrees()).isTrue();
        assertThat(w.clipped()).isFalse();
        assertThat(w.gridError()).isCloseTo(Math.pow(0.7 - 178 / 255.0, 2) + Math.pow(0.95 - 242 / 255.0, 2), within(1e-7));
    }

    @Test
    /**
     * Kernel [in 2, units 2] = [[0, 0.5], [1, 0.25]]: channel 0 holds {0, 1} (the global range [0, 1], e₀ = 1), channel 1
     * {0.5, 0.25}, stretched by e₁ = 1/0.5 = 2 to {1, 0.5}. On the grid of [0, 1] (scale 255): 0.5 → 127.5 → 128
     * (half-even), back 128/255/2 = 64/255; 1 → 255 → 1/2. 16-bit: 0.5·65535 = 32767.5 → 32768 → 16384/65535.
     */
    @DisplayName("KPU weights as the compiler quantizes them: per-channel equalisation, one global grid, back to reals")
    void weightsFakeQuantized() {
        Layer a = graph().layerNamed("a").withWeights(Map.of("kernel", Tensor.of(new int[] {2, 2}, 0, 0.5f, 1, 0.25f),
                "bias", Tensor.of(new int[] {2}, 0.123f, 0)));
        Layer q = Site.withQuantizedWeights(a, QuantRules.V3, 8);
        assertThat(q.weight("kernel").data()).containsExactly(new float[] {0, 0.5f, 1, 64 / 255f}, within(1e-7f));
        assertThat(q.weight("bias").data()).containsExactly(0.123f, 0f);
        Layer q16 = Site.withQuantizedWeights(a, QuantRules.V3, 16);
        assertThat(q16.weight("kernel").data()[3]).isCloseTo(16384 / 65535f, within(1e-7f));
    }
}
