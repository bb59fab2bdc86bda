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
import k210studio.converter.compile.PlannedValue;
import k210studio.converter.compile.Storage;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class KpuConvLoweringTest {

    /** image 16×16×4 → [ZeroPadding2D(1)] → conv ( → pw 1×1 when {@code pointwise}). */
    private static Graph graph(LayerParams conv, boolean zeroPad, boolean pointwise) {
        Graph g = new Graph("kpu");
        String x = g.add("image", new Input(TensorShape.hwc(16, 16, 4)));
        if (zeroPad) {
            x = g.add("pad", new ZeroPadding2D(1, 1, 1, 1), x);
        }
        boolean dw = conv instanceof DepthwiseConv2D;
        int k = dw ? ((DepthwiseConv2D) conv).kernelH() : ((Conv2D) conv).kernelH();
        String c = g.add("conv", conv, Map.of(dw ? "depthwise_kernel" : "kernel", dw ? random(1, k, k, 4, 1) : random(1, k, k, 4, 8)), x);
        if (pointwise) {
            g.add("pw", new Conv2D(8, 1, 1, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.RELU), Map.of("kernel", random(2, 1, 1, dw ? 4 : 8, 8)), c);
        }
        return g;
    }

    private static Conv2D conv3(int stride, Padding p, ActivationFn act) {
        return new Conv2D(8, 3, 3, stride, stride, p, 1, 1, false, act);
    }

    private static DepthwiseConv2D dw3(int stride, Padding p) {
        return new DepthwiseConv2D(3, 3, stride, stride, p, 1, 1, 1, false, ActivationFn.RELU);
    }

    private static KpuConvPlan kpu(K210Program p, int index) {
        return p.steps().stream().filter(s -> s instanceof PlanStep.KpuConv).map(s -> ((PlanStep.KpuConv) s).plan()).toList().get(index);
    }

    private static int[] chw(PlannedValue v) {
        return new int[] {v.c(), v.h(), v.w()};
    }

    // pins: a stride-1 'same' 3×3 conv is one KPU layer (kernel 3, no pool) straight on the uploaded input; as the network
    // output it also writes a main-memory copy, which the program dequantizes
    @Test
    void aStrideOneConvIsOneKpuLayer() throws Exception {
        K210Program p = PassTesting.lower(graph(conv3(1, Padding.SAME, ActivationFn.RELU), false, false), QuantRules.V4);

        assertThat(steps(p)).containsExactly("KpuConv conv", "Dequantize conv");
        KpuConvPlan c = kpu(p, 0);
        assertThat(c.kernel()).isEqualTo(3);
        assertThat(c.depthwise()).isFalse();
        assertThat(c.poolType()).isZero();
        assertThat(c.input()).isSameAs(p.inputs().get(0));
        assertThat(chw(c.output())).containsExactly(8, 16, 16);
        assertThat(c.mainOutput().storage()).isEqualTo(Storage.MAIN_U8);
        assertThat(c.weights()).hasSize(8 * 4 * 3 * 3);
    }

    // pins (V4, nncase 0.2): 'same' stride 2 on an even grid = CPU pad (1 row top and bottom) → upload → KPU conv with the
    // right-top pool (type 6) to 9×8 → CPU crop of the first row to TF's 8×8
    @Test
    void v4SameStrideTwoPadsPoolsRightTopAndCrops() throws Exception {
        K210Program p = PassTesting.lower(graph(conv3(2, Padding.SAME, ActivationFn.RELU), false, false), QuantRules.V4);

        assertThat(steps(p)).containsExactly("PadU8 conv", "Upload conv", "KpuConv conv", "PadU8 conv", "Dequantize conv");
        PlanStep.PadU8 pad = (PlanStep.PadU8) p.steps().get(0);
        assertThat(new int[] {pad.top(), pad.bottom(), pad.left(), pad.right()}).containsExactly(1, 1, 0, 0);
        KpuConvPlan c = kpu(p, 0);
        assertThat(c.poolType()).isEqualTo(6);
        assertThat(chw(c.input())).containsExactly(4, 18, 16);
        assertThat(chw(c.output())).containsExactly(8, 9, 8);
        PlanStep.PadU8 crop = (PlanStep.PadU8) p.steps().get(3);
        assertThat(new int[] {crop.top(), crop.bottom(), crop.left(), crop.right()}).containsExactly(-1, 0, 0, 0);
        assertThat(chw(crop.out())).containsExactly(8, 8, 8);
    }

    // pins (V3, OddGridPick): the same conv runs at stride 1, its 16×16 output is uploaded again W + 1 = 17 bytes later and
    // a 1×1 identity KPU layer with the left-top pool (type 5) keeps TF's odd grid; a note tells the user
    @Test
    void v3SameStrideTwoTakesTheOddGridPick() throws Exception {
        K210Program p = PassTesting.lower(graph(conv3(2, Padding.SAME, ActivationFn.RELU), false, false), QuantRules.V3);

        assertThat(steps(p)).containsExactly("KpuConv conv", "Upload conv", "KpuConv conv (odd-grid pick)", "Dequantize conv");
        assertThat(kpu(p, 0).poolType()).isZero();
        assertThat(chw(kpu(p, 0).output())).containsExactly(8, 16, 16);
        assertThat(((PlanStep.Upload) p.steps().get(1)).offset()).isEqualTo(17);
        KpuConvPlan pick = kpu(p, 1);
        assertThat(pick.kernel()).isEqualTo(1);
        assertThat(pick.poolType()).isEqualTo(5);
        assertThat(chw(pick.output())).containsExactly(8, 8, 8);
        int one = (1 << pick.weightBits()) - 1;
        for (int o = 0; o < 8; o++) {
            for (int i = 0; i < 8; i++) {
                assertThat(pick.weights()[o * 8 + i]).isEqualTo(o == i ? one : 0);
            }
        }
        assertThat(p.notes()).anyMatch(n -> n.startsWith("conv: TensorFlow samples this stride-2 conv on odd rows/columns"));
    }

    // pins (StrideDeferral): a ZeroPadding2D(1) + 'valid' depthwise stride-2 conv runs at stride 1 (16×16, kept in KPU RAM)
    // and the 1×1 conv after it down-samples with pool type 5; the padding emits nothing of its own
    @Test
    void aDeferredStrideIsTakenByTheNextPointwiseConv() throws Exception {
        K210Program p = PassTesting.lower(graph(dw3(2, Padding.VALID), true, true), QuantRules.V4);

        assertThat(steps(p)).containsExactly("KpuConv conv", "KpuConv pw", "Dequantize pw");
        KpuConvPlan dw = kpu(p, 0);
        assertThat(dw.depthwise()).isTrue();
        assertThat(dw.poolType()).isZero();
        assertThat(chw(dw.output())).containsExactly(4, 16, 16);
        assertThat(dw.mainOutput()).isNull();
        KpuConvPlan pw = kpu(p, 1);
        assertThat(pw.input()).isSameAs(dw.output());
        assertThat(pw.poolType()).isEqualTo(5);
        assertThat(chw(pw.output())).containsExactly(8, 8, 8);
    }

    // pins (V4 StridedSliceFallback): a depthwise stride-2 conv that is the output runs at stride 1 and a uint8 slice keeps
    // rows/columns 1, 3, … (TF 'same' centres on an even grid)
    @Test
    void aDepthwiseStrideTwoWithoutPointwiseConvIsSliced() throws Exception {
        K210Program p = PassTesting.lower(graph(dw3(2, Padding.SAME), false, false), QuantRules.V4);

        assertThat(steps(p)).containsExactly("KpuConv conv", "StridedSliceU8 conv", "Dequantize conv");
        assertThat(chw(kpu(p, 0).output())).containsExactly(4, 16, 16);
        PlanStep.StridedSliceU8 s = (PlanStep.StridedSliceU8) p.steps().get(1);
        assertThat(new int[] {s.rowStart(), s.colStart(), s.step()}).containsExactly(1, 1, 2);
        assertThat(chw(s.out())).containsExactly(4, 8, 8);
    }

    // pins: V3's KPU has no sigmoid table: the conv's linear output goes to main memory and a CPU Logistic follows
    @Test
    void v3SigmoidRunsOnTheCpuAfterTheKpuLayer() throws Exception {
        K210Program p = PassTesting.lower(graph(conv3(1, Padding.SAME, ActivationFn.SIGMOID), false, false), QuantRules.V3);
        assertThat(steps(p)).containsExactly("KpuConv conv", "Dequantize conv", "Logistic conv");
        assertThat(steps(PassTesting.lower(graph(conv3(1, Padding.SAME, ActivationFn.SIGMOID), false, false), QuantRules.V4)))
                .containsExactly("KpuConv conv", "Dequantize conv");
    }

    // pins: a Keras kernel (H, W, in, out) reaches the KPU in (out, in, H, W) order
    @Test
    void weightsAreReorderedToOutInHw() {
        Tensor k = random(9, 3, 3, 2, 5);
        float[] oihw = KpuConvLowering.hwioToOihw(k, 3, 2, 5);
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
                for (int i = 0; i < 2; i++) {
                    for (int o = 0; o < 5; o++) {
                        assertThat(oihw[((o * 2 + i) * 3 + ky) * 3 + kx]).isEqualTo(k.get(((ky * 3 + kx) * 2 + i) * 5 + o));
                    }
                }
            }
        }
    }

    // pins: a conv the KPU cannot run stops the V3 compile naming it and why (a 5×5 kernel — V4 runs it as a CPU
    // conv2d, CpuConvCompileTest; 'same' stride 2 on an odd grid, which needs a CPU pad V3 does not have)
    @Test
    void unmappableConvsAreRefusedByName() {
        Graph k5 = graph(new Conv2D(8, 5, 5, 1, 1, Padding.SAME, 1, 1, false, ActivationFn.LINEAR), false, false);
        assertThatThrownBy(() -> PassTesting.lower(k5, QuantRules.V3)).isInstanceOf(CompileException.class)
                .hasMessageStartingWith("conv (Conv2D): this convolution cannot run on the KPU: kernel 5×5")
                .extracting(e -> ((CompileException) e).layerName()).isEqualTo("conv");

        Graph odd = new Graph("odd");
        String in = odd.add("image", new Input(TensorShape.hwc(15, 15, 4)));
        odd.add("conv", conv3(2, Padding.SAME, ActivationFn.RELU), Map.of("kernel", random(1, 3, 3, 4, 8)), in);
        assertThatThrownBy(() -> PassTesting.lower(odd, QuantRules.V3)).isInstanceOf(CompileException.class)
                .hasMessageStartingWith("conv (Conv2D): this convolution cannot run on the KPU: its TensorFlow padding (1,1),(1,1) "
                        + "with stride 2 needs CPU padding or cropping");
    }
}
