package k210studio.converter.compile.lower;

import static k210studio.converter.compile.PassTesting.random;
import static k210studio.converter.compile.PassTesting.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.K210Program;
import k210studio.converter.compile.PassTesting;
import k210studio.converter.compile.PlanStep;
import k210studio.converter.compile.Storage;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Interpolation;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.Softmax;
import k210studio.ir.layer.UpSampling2D;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class CpuFallbackTest {

    /** image 8×8×3 → conv_a, conv_b (3×3 'same', 4 channels each); the caller adds the CPU layers. */
    private static Graph twoConvs() {
        Graph g = new Graph("cpu");
        String in = g.add("image", new Input(TensorShape.hwc(8, 8, 3)));
        g.add("conv_a", new Conv2D(4, 3, 3, 1, 1, Padding.SAME, 1, 1, false, ActivationFn.LINEAR), Map.of("kernel", random(1, 3, 3, 3, 4)), in);
        g.add("conv_b", new Conv2D(4, 3, 3, 1, 1, Padding.SAME, 1, 1, false, ActivationFn.LINEAR), Map.of("kernel", random(2, 3, 3, 3, 4)), in);
        return g;
    }

    private static String id(Graph g, String name) {
        return g.layerNamed(name).id();
    }

    /** twoConvs → a single CPU layer after conv_a. */
    private static Graph after(LayerParams p) {
        Graph g = twoConvs();
        g.add("cpu", p, id(g, "conv_a"));
        g.setOutputs(List.of(id(g, "cpu"), id(g, "conv_b")));
        return g;
    }

    // pins: two KPU outputs meet in an Add on the CPU in float32: each is dequantized from its main-memory copy first
    @Test
    void addDequantizesBothKpuOutputs() throws Exception {
        Graph g = twoConvs();
        g.add("sum", new Add(), id(g, "conv_a"), id(g, "conv_b"));
        K210Program p = PassTesting.lower(g, QuantRules.V4);

        assertThat(steps(p)).containsExactly("KpuConv conv_a", "KpuConv conv_b", "Dequantize conv_a", "Dequantize conv_b", "Add sum");
        PlanStep.Add add = (PlanStep.Add) p.steps().get(4);
        assertThat(add.a().storage()).isEqualTo(Storage.MAIN_F32);
        assertThat(add.b().storage()).isEqualTo(Storage.MAIN_F32);
    }

    // pins: channel Concatenate, GlobalAveragePooling2D, Softmax on the pooled vector and nearest UpSampling2D are float
    // CPU steps on both targets; a linear Activation and a Flatten of a 1×1 map emit nothing (the value is shared)
    @Test
    void floatCpuLayers() throws Exception {
        for (QuantRules t : QuantRules.values()) {
            Graph g = twoConvs();
            String cat = g.add("cat", Concatenate.channels(), id(g, "conv_a"), id(g, "conv_b"));
            String gap = g.add("gap", new GlobalAveragePooling2D(true), cat);
            String lin = g.add("linear", new Activation(ActivationFn.LINEAR), gap);
            String flat = g.add("flat", new Flatten(), lin);
            String sm = g.add("probs", Softmax.lastAxis(), flat);
            String up = g.add("up", new UpSampling2D(2, 2, Interpolation.NEAREST), cat);
            g.setOutputs(List.of(sm, up));
            K210Program p = PassTesting.lower(g, t);

            assertThat(steps(p)).as("%s", t).containsExactly("KpuConv conv_a", "KpuConv conv_b", "Dequantize conv_a", "Dequantize conv_b",
                    "Concat cat", "GlobalAveragePool gap", "Softmax probs", "ResizeNearest up");
        }
    }

    // pins: Flatten of a feature map is a CHW → HWC transposition (TensorFlow's flatten order)
    @Test
    void flattenOfAMapTransposesToHwc() throws Exception {
        K210Program p = PassTesting.lower(after(new Flatten()), QuantRules.V4);
        assertThat(steps(p)).contains("FlattenHwc cpu");
    }

    // pins: max pooling the KPU cannot fuse (3×3) runs on uint8 on V3 (nncase 0.1's quantized max pool) and on float32 on V4
    @Test
    void maxPoolIsUint8OnV3AndFloatOnV4() throws Exception {
        Graph g = after(MaxPooling2D.of(3, 2, Padding.SAME));
        PlanStep.Pool v3 = (PlanStep.Pool) PassTesting.lower(g, QuantRules.V3).steps().stream().filter(s -> s instanceof PlanStep.Pool)
                .findFirst().orElseThrow();
        PlanStep.Pool v4 = (PlanStep.Pool) PassTesting.lower(g, QuantRules.V4).steps().stream().filter(s -> s instanceof PlanStep.Pool)
                .findFirst().orElseThrow();
        assertThat(v3.in().storage()).isEqualTo(Storage.MAIN_U8);
        assertThat(v3.out().storage()).isEqualTo(Storage.MAIN_U8);
        assertThat(v4.in().storage()).isEqualTo(Storage.MAIN_F32);
        assertThat(new int[] {v4.kernelH(), v4.strideH()}).containsExactly(3, 2);
    }

    // pins: a standalone ReLU (after an Add, no conv to fuse into) is a CPU activation on V4; V3 has no such layer and
    // refuses naming it
    @Test
    void standaloneActivationIsCpuOnV4AndRefusedOnV3() throws Exception {
        Graph g = twoConvs();
        g.add("relu", ReLU.plain(), g.add("sum", new Add(), id(g, "conv_a"), id(g, "conv_b")));
        K210Program p = PassTesting.lower(g, QuantRules.V4);
        assertThat(steps(p)).endsWith("Add sum", "CpuActivation relu");

        assertThatThrownBy(() -> PassTesting.lower(g, QuantRules.V3)).isInstanceOf(CompileException.class)
                .hasMessageStartingWith("relu (ReLU): a standalone relu that no convolution right before it can apply")
                .extracting(e -> ((CompileException) e).layerName()).isEqualTo("relu");
    }

    // pins: a ZeroPadding2D no KPU conv absorbs is a uint8 pad on V4; V3 has no padding layer and refuses naming it
    @Test
    void unabsorbedZeroPaddingIsAUint8PadOnV4AndRefusedOnV3() throws Exception {
        Graph g = after(new ZeroPadding2D(1, 2, 0, 1));
        K210Program p = PassTesting.lower(g, QuantRules.V4);
        PlanStep.PadU8 pad = (PlanStep.PadU8) p.steps().stream().filter(s -> s instanceof PlanStep.PadU8).findFirst().orElseThrow();
        assertThat(pad.source()).isEqualTo("cpu");
        assertThat(new int[] {pad.top(), pad.bottom(), pad.left(), pad.right()}).containsExactly(1, 2, 0, 1);
        assertThat(new int[] {pad.out().h(), pad.out().w()}).containsExactly(11, 9);

        assertThatThrownBy(() -> PassTesting.lower(g, QuantRules.V3)).isInstanceOf(CompileException.class)
                .hasMessageStartingWith("cpu (ZeroPadding2D): a ZeroPadding2D that no KPU convolution can absorb");
    }

    // pins: on V3 a ZeroPadding2D before a depthwise stride-2 conv that cannot run there says why that conv cannot take it
    @Test
    void v3PaddingRefusalNamesWhyTheConvAfterCannotTakeIt() {
        Graph g = new Graph("pad_dw");
        String in = g.add("image", new Input(TensorShape.hwc(16, 16, 4)));
        String pad = g.add("pad", new ZeroPadding2D(1, 1, 1, 1), in);
        String dw = g.add("dw", new k210studio.ir.layer.DepthwiseConv2D(3, 3, 2, 2, Padding.VALID, 1, 1, 1, false, ActivationFn.RELU),
                Map.of("depthwise_kernel", random(1, 3, 3, 4, 1)), pad);
        g.add("pool", MaxPooling2D.of(2, 2, Padding.VALID), dw);
        g.add("pw", new Conv2D(4, 1, 1, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.LINEAR), Map.of("kernel", random(2, 1, 1, 4, 4)), dw);

        assertThatThrownBy(() -> PassTesting.lower(g, QuantRules.V3)).isInstanceOf(CompileException.class)
                .hasMessageContaining("pad (ZeroPadding2D)")
                .hasMessageContaining("dw cannot take it: a depthwise stride-2 conv must be followed by a 1×1 conv");
    }

    // pins: softmax over a feature map and layers with no kmodel layer (bilinear UpSampling2D) stop the compile by name
    @Test
    void layersWithoutACpuOpAreRefusedByName() {
        assertThatThrownBy(() -> PassTesting.lower(after(Softmax.lastAxis()), QuantRules.V4)).isInstanceOf(CompileException.class)
                .hasMessageStartingWith("cpu (Softmax): softmax over a feature map (4 channels × 8×8)");
        assertThatThrownBy(() -> PassTesting.lower(after(new UpSampling2D(2, 2, Interpolation.BILINEAR)), QuantRules.V4))
                .isInstanceOf(CompileException.class)
                .hasMessageStartingWith("cpu (UpSampling2D): UpSampling2D has no kmodel V4 layer");
    }
}
