package k210studio.converter.compile;

import static k210studio.converter.compile.PassTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layers the KPU cannot take in the usual fused form, lowered for V4 to CPU ops around the KPU (issue [5/8]): a
 * standalone ReLU / ReLU6 / LeakyReLU after an Add (binary max/min with a constant), and a stride-2 depthwise conv
 * feeding two layers (stride 1 on the KPU, then a uint8 strided slice). The compiled kmodel, run in kpu-sim, must agree
 * with the float model; V3, which has no layer for either, refuses naming the layer.
 */
class CpuFallbackCompileTest {
    static final int H = 16;
    static final int W = 16;

    @Test
    void standaloneActivationsAfterAnAddRunOnTheCpu() throws Exception {
        Graph g = new Graph("acts");
        String in = g.add("image", new Input(TensorShape.hwc(H, W, 3)));
        String a = g.add("conv_a", conv(8, 3, 1), Map.of("kernel", random(1, 3, 3, 3, 8)), in);
        String b = g.add("conv_b", conv(8, 3, 1), Map.of("kernel", random(2, 3, 3, 3, 8)), in);
        String sum = g.add("sum", new Add(), a, b);
        String relu = g.add("relu", new ReLU(null, 0f, 0f), sum);
        String relu6 = g.add("relu6", new ReLU(6f, 0f, 0f), sum);
        String leaky = g.add("leaky", new LeakyReLU(0.1f), sum);
        g.setOutputs(List.of(relu, relu6, leaky));
        List<float[]> out = agreesWithFloat(g, 3, 8, H, W, "binary");
        float[] range0 = minMax(out.get(0));
        float[] range1 = minMax(out.get(1));
        float[] range2 = minMax(out.get(2));
        System.out.printf("ranges: relu %s, relu6 %s, leaky %s%n", java.util.Arrays.toString(range0), java.util.Arrays.toString(range1),
                java.util.Arrays.toString(range2));
        assertThat(range0[0]).isEqualTo(0f);
        assertThat(range1[0]).isEqualTo(0f);
        assertThat(range1[1]).isLessThanOrEqualTo(6f);
        assertThat(range2[0]).isNegative();
        assertThatThrownBy(() -> K210Compiler.compile(g, samples(3), CompileOptions.defaults(QuantRules.V3), null))
                .isInstanceOf(CompileException.class)
                .hasMessageContaining("relu")
                .hasMessageContaining("kmodel V3 cannot run it");
    }

    /**
     * SSD-style heads: feature maps reshaped to N×k in TensorFlow's NHWC order (a CHW→HWC transpose of each map) and
     * concatenated over N (a byte concatenation), for both targets (V3: TENSORFLOW_FLATTEN + CONCAT).
     */
    @ParameterizedTest
    @EnumSource(QuantRules.class)
    void reshapedHeadsConcatenateOverTheirRows(QuantRules target) throws Exception {
        Graph g = new Graph("heads");
        String in = g.add("image", new Input(TensorShape.hwc(H, W, 3)));
        String a = g.add("head_a", conv(8, 3, 1), Map.of("kernel", random(7, 3, 3, 3, 8)), in);
        String b = g.add("head_b", conv(4, 1, 1), Map.of("kernel", random(8, 1, 1, 3, 4)), in);
        String ra = g.add("rows_a", Reshape.to(H * W * 2, 4), a);
        String rb = g.add("rows_b", Reshape.to(H * W, 4), b);
        String cat = g.add("boxes", new Concatenate(1), ra, rb);
        K210Compiler.Result r = K210Compiler.compile(g, samples(8), CompileOptions.defaults(target), null);
        byte[] px = pixels(99);
        Tensor x = CalibrationDataset.fromPlanar(px, H, W, 3, 0f, 255f);
        Tensor ref = FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), false).output();
        assertThat(ref.shape()).containsExactly(H * W * 3, 4);
        float[] ours = r.model().run(KmodelTensor.ofUint8(new int[] {3, H, W}, px), RunOptions.defaults()).output(0).toFloatArray();
        ErrorStats e = ErrorStats.of(ref.data(), ours);
        System.out.printf("heads %s: cosine vs float %.5f, max |Δ| %.4f%n", target, e.cosine(), e.maxAbsDiff());
        assertThat(e.cosine()).isGreaterThan(0.999);
        // a concatenation along k (interleaving rows) is not a byte concatenation: refused, not silently wrong
        Graph wide = new Graph("wide_heads");
        String in2 = wide.add("image", new Input(TensorShape.hwc(H, W, 3)));
        String a2 = wide.add("head_a", conv(4, 1, 1), Map.of("kernel", random(9, 1, 1, 3, 4)), in2);
        String b2 = wide.add("head_b", conv(4, 1, 1), Map.of("kernel", random(10, 1, 1, 3, 4)), in2);
        wide.add("boxes", new Concatenate(-1), wide.add("rows_a", Reshape.to(H * W, 4), a2), wide.add("rows_b", Reshape.to(H * W, 4), b2));
        assertThatThrownBy(() -> K210Compiler.compile(wide, samples(2), CompileOptions.defaults(target), null))
                .isInstanceOf(CompileException.class)
                .hasMessageContaining("boxes")
                .hasMessageContaining("Concatenate on axis -1");
    }

    /** 'same' pads (0, 1): TF samples the even rows/columns; ZeroPadding2D(1) + 'valid' pads (1, 1): the odd ones. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void strideTwoDepthwiseFeedingTwoLayersIsSlicedOnTheCpu(boolean zeroPadding) throws Exception {
        Graph g = new Graph("dw_fanout");
        String in = g.add("image", new Input(TensorShape.hwc(H, W, 3)));
        String x = g.add("stem", conv(8, 3, 1), Map.of("kernel", random(3, 3, 3, 3, 8)), in);
        if (zeroPadding) {
            x = g.add("pad", new ZeroPadding2D(1, 1, 1, 1), x);
        }
        String dw = g.add("dw_s2", new DepthwiseConv2D(3, 3, 2, 2, zeroPadding ? Padding.VALID : Padding.SAME, 1, 1, 1, false,
                ActivationFn.RELU), Map.of("depthwise_kernel", random(4, 3, 3, 8, 1)), x);
        String p1 = g.add("pw_1", conv(8, 1, 1), Map.of("kernel", random(5, 1, 1, 8, 8)), dw);
        String p2 = g.add("pw_2", conv(4, 1, 1), Map.of("kernel", random(6, 1, 1, 8, 4)), dw);
        g.setOutputs(List.of(p1, p2));
        agreesWithFloat(g, 2, -1, H / 2, W / 2, "strided_slice");
        if (zeroPadding) {
            // V3 (no pad/crop/slice layer) can only take over odd sampling grids by its shifted re-upload
            assertThatThrownBy(() -> K210Compiler.compile(g, samples(3), CompileOptions.defaults(QuantRules.V3), null))
                    .isInstanceOf(CompileException.class)
                    .hasMessageContaining("dw_s2")
                    .hasMessageContaining("kmodel V3 cannot run it");
        }
    }

    static float[] minMax(float[] v) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new float[] {lo, hi};
    }

    private static List<float[]> agreesWithFloat(Graph g, int outputs, int channels, int h, int w, String cpuOp) throws Exception {
        List<Tensor> calib = samples(8);
        K210Compiler.Result r = K210Compiler.compile(g, calib, CompileOptions.defaults(QuantRules.V4), null);
        List<String> ops = Model5V4CompileTest.opcodes(k210studio.kpu.kmodel.v4.V4Reader.read(r.kmodel()));
        System.out.println(g.name() + " V4 ops: " + ops);
        assertThat(ops).contains(cpuOp);
        byte[] px = pixels(99);
        Tensor x = CalibrationDataset.fromPlanar(px, H, W, 3, 0f, 255f);
        EvaluationResult ref = FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), false);
        RunResult run = r.model().run(KmodelTensor.ofUint8(new int[] {3, H, W}, px), RunOptions.defaults());
        assertThat(run.outputs()).hasSize(outputs);
        List<float[]> result = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            int c = ref.output(i).shape()[2];
            assertThat(channels < 0 || c == channels).isTrue();
            float[] ours = KmodelComparison.toHwc(run.output(i).toFloatArray(), new int[] {c, h, w});
            ErrorStats e = ErrorStats.of(ref.output(i).data(), ours);
            System.out.printf("%s output %d: cosine vs float %.5f, max |Δ| %.4f%n", g.name(), i, e.cosine(), e.maxAbsDiff());
            assertThat(e.cosine()).as("output %d", i).isGreaterThan(0.99);
            result.add(ours);
        }
        return result;
    }

    static Conv2D conv(int filters, int k, int stride) {
        return new Conv2D(filters, k, k, stride, stride, Padding.SAME, 1, 1, false, ActivationFn.LINEAR);
    }

    static byte[] pixels(long seed) {
        byte[] px = new byte[3 * H * W];
        new Random(seed).nextBytes(px);
        return px;
    }

    static List<Tensor> samples(int n) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(CalibrationDataset.fromPlanar(pixels(i), H, W, 3, 0f, 255f));
        }
        return out;
    }
}
