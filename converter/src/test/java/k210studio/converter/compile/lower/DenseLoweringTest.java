package k210studio.converter.compile.lower;

import static k210studio.converter.compile.PassTesting.random;
import static k210studio.converter.compile.PassTesting.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.K210Program;
import k210studio.converter.compile.KpuConvPlan;
import k210studio.converter.compile.PassTesting;
import k210studio.converter.compile.PlanStep;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Input;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class DenseLoweringTest {

    private static Graph dense(TensorShape in, int units, ActivationFn act) {
        Graph g = new Graph("dense");
        String x = g.add("vec", new Input(in));
        g.add("fc", new Dense(units, true, act), Map.of("kernel", random(1, in.dim(in.rank() - 1), units), "bias", random(2, units)), x);
        return g;
    }

    private static <T extends PlanStep> T step(K210Program p, Class<T> kind) {
        return p.steps().stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow();
    }

    // pins (V4): a KPU Dense quantizes its input vector, pads it to a 4×4 map on the CPU (zero point, pixel (0, 0) is the
    // vector), uploads it, runs a 1×1 KPU conv of 64 → 16 channels and crops pixel (0, 0) back out
    @Test
    void v4KpuDenseIsA1x1ConvOnA4x4Map() throws Exception {
        K210Program p = PassTesting.lower(dense(TensorShape.of(64), 16, ActivationFn.RELU), QuantRules.V4);

        assertThat(steps(p)).containsExactly("Quantize fc", "PadU8 fc", "Upload fc", "KpuConv fc", "PadU8 fc", "Dequantize fc");
        KpuConvPlan c = step(p, PlanStep.KpuConv.class).plan();
        assertThat(c.kernel()).isEqualTo(1);
        assertThat(new int[] {c.input().c(), c.input().h(), c.input().w()}).containsExactly(64, 4, 4);
        assertThat(new int[] {c.output().c(), c.output().h(), c.output().w()}).containsExactly(16, 4, 4);
        PlanStep.PadU8 crop = (PlanStep.PadU8) p.steps().get(4);
        assertThat(new int[] {crop.top(), crop.bottom(), crop.left(), crop.right()}).containsExactly(0, -3, 0, -3);
    }

    // pins (V3): the same with kmodel V3's own layers: ADD_PADDING into KPU RAM and REMOVE_PADDING after
    @Test
    void v3KpuDenseUsesAddAndRemovePadding() throws Exception {
        K210Program p = PassTesting.lower(dense(TensorShape.of(64), 16, ActivationFn.RELU), QuantRules.V3);

        assertThat(steps(p)).containsExactly("Quantize fc", "AddPadding fc", "KpuConv fc", "RemovePadding fc", "Dequantize fc");
    }

    // pins: a small Dense is a float32 fully-connected CPU layer with the Keras kernel [in, out] transposed to [out, in],
    // its bias and its relu kept
    @Test
    void aSmallDenseIsAFloatFullyConnectedLayer() throws Exception {
        Graph g = dense(TensorShape.of(6), 5, ActivationFn.RELU);
        K210Program p = PassTesting.lower(g, QuantRules.V4);

        assertThat(steps(p)).containsExactly("FullyConnected fc");
        PlanStep.FullyConnected fc = step(p, PlanStep.FullyConnected.class);
        Tensor k = g.layerNamed("fc").weight("kernel");
        for (int i = 0; i < 6; i++) {
            for (int o = 0; o < 5; o++) {
                assertThat(fc.weights()[o * 6 + i]).isEqualTo(k.get(i * 5 + o));
            }
        }
        assertThat(fc.bias()).containsExactly(g.layerNamed("fc").weight("bias").data());
        assertThat(fc.activation()).isEqualTo(ActivationFn.RELU);
        assertThat(p.outputs().get(0)).isSameAs(fc.out());
    }

    // pins: a softmax or sigmoid Dense on the CPU is a linear fully-connected layer followed by its own Softmax/Logistic;
    // tanh has no CPU layer and is refused by name
    @Test
    void cpuDenseActivationsThatNeedTheirOwnStep() throws Exception {
        K210Program softmax = PassTesting.lower(dense(TensorShape.of(6), 5, ActivationFn.SOFTMAX), QuantRules.V3);
        assertThat(steps(softmax)).containsExactly("FullyConnected fc", "Softmax fc");
        assertThat(step(softmax, PlanStep.FullyConnected.class).activation()).isEqualTo(ActivationFn.LINEAR);

        assertThat(steps(PassTesting.lower(dense(TensorShape.of(6), 5, ActivationFn.SIGMOID), QuantRules.V4)))
                .containsExactly("FullyConnected fc", "Logistic fc");

        // a large softmax classifier head (64 × 32 weights) on V4: the KPU has no softmax table, so the same two steps
        K210Program head = PassTesting.lower(dense(TensorShape.of(64), 32, ActivationFn.SOFTMAX), QuantRules.V4);
        assertThat(steps(head)).containsExactly("FullyConnected fc", "Softmax fc");

        assertThatThrownBy(() -> PassTesting.lower(dense(TensorShape.of(6), 5, ActivationFn.TANH), QuantRules.V4))
                .isInstanceOf(CompileException.class)
                .hasMessageStartingWith("fc (Dense): activation tanh after a CPU layer");
    }

    // pins: a Dense applied to a feature map (Keras: per pixel) is refused with the fix "add a Flatten before it"
    @Test
    void aDenseOnAFeatureMapIsRefused() {
        assertThatThrownBy(() -> PassTesting.lower(dense(TensorShape.hwc(4, 4, 8), 3, ActivationFn.LINEAR), QuantRules.V4))
                .isInstanceOf(CompileException.class)
                .hasMessageContaining("fc (Dense): Dense on a 4×4 feature map")
                .hasMessageContaining("add a Flatten before it");
    }
}
