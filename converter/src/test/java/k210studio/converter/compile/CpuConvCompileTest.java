package k210studio.converter.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.evaluate.OutputMap;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.rules.K210Checker;
import k210studio.ir.rules.Target;
import k210studio.ir.rules.Verdict;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import org.junit.jupiter.api.Test;

/**
 * 5×5 and 7×7 convolutions for V4 run as nncase 0.2 runs them — a float conv2d on the CPU — instead of a refusal
 * (issue 12), with ReLU fused as the op's clamp and a leaky ReLU as a CPU op after it; the checker's V4 verdict says
 * CPU, V3 (no CPU convolution in nncase 0.1) still refuses naming the layer and the fix. The same network is in
 * the nncase conformance suite, which runs it bit-identically in nncase's own runtime.
 */
public class CpuConvCompileTest {
    static final int H = 24;
    static final int W = 24;

    /** input 24×24×3 → conv 5×5 same relu (8, CPU) → conv 3×3 same relu (8, KPU) → depthwise 7×7 valid leaky (CPU). */
    public static Graph network() {
        Graph g = new Graph("cpu_convs");
        Random rnd = new Random(5);
        String in = g.add("image", new Input(TensorShape.hwc(H, W, 3)));
        String c5 = g.add("conv5x5", Conv2D.of(8, 5, 1, Padding.SAME).withActivation(ActivationFn.RELU),
                Map.of("kernel", random(rnd, 0.3f, 5, 5, 3, 8), "bias", random(rnd, 0.1f, 8)), in);
        String c3 = g.add("conv3x3", Conv2D.of(8, 3, 1, Padding.SAME).withActivation(ActivationFn.RELU),
                Map.of("kernel", random(rnd, 0.3f, 3, 3, 8, 8), "bias", random(rnd, 0.1f, 8)), c5);
        g.add("dw7x7", new DepthwiseConv2D(7, 7, 1, 1, Padding.VALID, 1, 1, 1, true, ActivationFn.leakyRelu(0.1f)),
                Map.of("depthwise_kernel", random(rnd, 0.2f, 7, 7, 8, 1), "bias", random(rnd, 0.1f, 8)), c3);
        return g;
    }

    @Test
    void v4RunsTheBigKernelsAsCpuConv2dAndAgreesWithFloat() throws Exception {
        Graph g = network();
        K210Compiler.Result r = K210Compiler.compile(g, samples(6), CompileOptions.defaults(QuantRules.V4), null);
        List<String> cpu = r.program().steps().stream().filter(s -> s instanceof PlanStep.CpuConv).map(PlanStep::source).toList();
        assertThat(cpu).containsExactly("conv5x5", "dw7x7");
        assertThat(r.program().steps()).filteredOn(s -> s instanceof PlanStep.KpuConv).extracting(PlanStep::source)
                .containsExactly("conv3x3");
        assertThat(r.program().notes()).anySatisfy(n -> assertThat(n).contains("conv5x5", "float conv2d", "nncase 0.2", "3×3"));
        assertThat(r.model().layerCount()).isGreaterThan(3);

        byte[] px = pixels(42);
        Tensor x = CalibrationDataset.fromPlanar(px, H, W, 3, 0f, 255f);
        float[] ref = OutputMap.ofFloat(FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), false).output()).chw();
        float[] k210 = r.model().run(KmodelTensor.ofUint8(new int[] {3, H, W}, px), RunOptions.defaults()).output(0).toFloatArray();
        ErrorStats e = ErrorStats.of(ref, k210);
        System.out.printf("cpu convs V4: cosine vs float %.5f, max |Δ| %.4f%n", e.cosine(), e.maxAbsDiff());
        assertThat(e.cosine()).isGreaterThan(0.999);
    }

    @Test
    void theCheckerSaysCpuForV4AndV3StillRefusesNamingTheLayer() {
        Graph g = network();
        var report = K210Checker.check(g);
        assertThat(report.layer(g.layerNamed("conv5x5").id()).verdict(Target.V4)).isEqualTo(Verdict.CPU);
        assertThat(report.layer(g.layerNamed("conv3x3").id()).verdict(Target.V4)).isEqualTo(Verdict.KPU);
        assertThatThrownBy(() -> K210Compiler.compile(g, samples(2), CompileOptions.defaults(QuantRules.V3), null))
                .isInstanceOf(CompileException.class).hasMessageContaining("conv5x5").hasMessageContaining("3×3");
    }

    private static Tensor random(Random rnd, float scale, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        return new Tensor(shape, v);
    }

    private static List<Tensor> samples(int n) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(CalibrationDataset.fromPlanar(pixels(i), H, W, 3, 0f, 255f));
        }
        return out;
    }

    private static byte[] pixels(int seed) {
        byte[] px = new byte[3 * H * W];
        new Random(seed).nextBytes(px);
        return px;
    }
}
