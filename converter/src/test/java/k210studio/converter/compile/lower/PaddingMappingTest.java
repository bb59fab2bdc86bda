package k210studio.converter.compile.lower;

import static k210studio.converter.compile.PassTesting.named;
import static k210studio.converter.compile.PassTesting.random;
import static k210studio.converter.compile.PassTesting.startingWith;
import static k210studio.converter.compile.lower.Lowerings.context;
import static k210studio.converter.compile.lower.Lowerings.convs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import k210studio.converter.compile.KpuAxisPlan;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class PaddingMappingTest {

    /** image (size×size×4) → [ZeroPadding2D(1)] → the conv under test → 1×1 conv. */
    private static Graph oneConv(int size, LayerParams conv, boolean zeroPad) {
        Graph g = new Graph("conv");
        String x = g.add("image", new Input(TensorShape.hwc(size, size, 4)));
        if (zeroPad) {
            x = g.add("pad", new ZeroPadding2D(1, 1, 1, 1), x);
        }
        String key = conv instanceof DepthwiseConv2D ? "depthwise_kernel" : "kernel";
        int k = conv instanceof DepthwiseConv2D d ? d.kernelH() : ((Conv2D) conv).kernelH();
        String c = g.add("conv", conv, Map.of(key, conv instanceof DepthwiseConv2D ? random(1, k, k, 4, 1) : random(1, k, k, 4, 8)), x);
        int ch = conv instanceof DepthwiseConv2D ? 4 : 8;
        g.add("pw", new Conv2D(8, 1, 1, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.LINEAR), Map.of("kernel", random(2, 1, 1, ch, 8)), c);
        return g;
    }

    /** Adds a second consumer, a 1×1 conv "pw2", to the layer named so (4 channels in). */
    private static void secondPointwise(Graph g, String producer) {
        g.add("pw2", new Conv2D(4, 1, 1, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.LINEAR),
                Map.of("kernel", random(3, 1, 1, 4, 4)), named(g, producer).id());
    }

    private static Conv2D conv3(int stride, Padding p) {
        return new Conv2D(8, 3, 3, stride, stride, p, 1, 1, false, ActivationFn.RELU);
    }

    private static DepthwiseConv2D dw3(int stride, Padding p) {
        return new DepthwiseConv2D(3, 3, stride, stride, p, 1, 1, 1, false, ActivationFn.RELU);
    }

    private static ConvMapping mapping(Graph g, QuantRules t, String name) {
        return convs(g, t).mapping(named(g, name).id());
    }

    // pins (kpu-arith.md §3.7): TF 'same' stride 2 on an even grid pads (0, 1) and samples odd rows/columns, which the
    // KPU's left-top pick cannot: V3 runs the conv at stride 1 and picks the odd grid by a shifted re-upload (1, 1)
    @Test
    void v3SameStrideTwoOnAnEvenGridPicksTheOddGrid() {
        ConvMapping m = mapping(oneConv(16, conv3(2, Padding.SAME), false), QuantRules.V3, "conv");

        assertThat(m.shiftRows()).isEqualTo(1);
        assertThat(m.shiftCols()).isEqualTo(1);
        assertThat(m.rows()).isEqualTo(new KpuAxisPlan(0, 0, 0, 0, false, 16));
        assertThat(m.cols()).isEqualTo(new KpuAxisPlan(0, 0, 0, 0, false, 16));
        assertThat(m.needsCpu()).isFalse();
    }

    // pins (kpu-arith.md §3.7, nncase 0.2's fake_kpu_conv2d): V4 pads one row on top and one at the bottom on the CPU,
    // crops the first KPU output row, and picks right-top columns (pool type 6): 9 KPU rows → 8, 8 columns
    @Test
    void v4SameStrideTwoOnAnEvenGridPadsCropsAndPicksRightTop() {
        ConvMapping m = mapping(oneConv(16, conv3(2, Padding.SAME), false), QuantRules.V4, "conv");

        assertThat(m.shiftSelect()).isFalse();
        assertThat(m.rows()).isEqualTo(new KpuAxisPlan(1, 1, 1, 0, false, 9));
        assertThat(m.cols()).isEqualTo(new KpuAxisPlan(0, 0, 0, 0, true, 8));
        assertThat(m.prePads()).isTrue();
    }

    // pins: ZeroPadding2D(1) + 'valid' stride 2 is exactly the KPU's left-top pick: one KPU layer on both targets, no
    // CPU pad or crop, and the padding layer is folded into the conv
    @Test
    void zeroPaddingPlusValidIsOneKpuLayerOnBothTargets() {
        Graph g = oneConv(16, conv3(2, Padding.VALID), true);
        for (QuantRules t : QuantRules.values()) {
            ConvMappings c = convs(g, t);
            ConvMapping m = c.mapping(named(g, "conv").id());
            assertThat(m.rows()).as("%s", t).isEqualTo(new KpuAxisPlan(0, 0, 0, 0, false, 8));
            assertThat(m.cols()).as("%s", t).isEqualTo(new KpuAxisPlan(0, 0, 0, 0, false, 8));
            assertThat(m.shiftSelect()).isFalse();
            assertThat(c.padAbsorbed()).containsExactly(named(g, "pad").id());
            assertThat(c.spec(named(g, "conv").id()).inputId()).isEqualTo(named(g, "image").id());
        }
    }

    // pins: on an odd grid (15) TF 'same' stride 2 pads (1, 1) = left-top: V4 adds one row/column after on the CPU to make
    // the KPU input even (the pool halves with floor); V3, with no CPU pad layer, cannot map it
    @Test
    void sameStrideTwoOnAnOddGrid() {
        Graph g = oneConv(15, conv3(2, Padding.SAME), false);
        ConvMapping v4 = mapping(g, QuantRules.V4, "conv");
        assertThat(v4.rows()).isEqualTo(new KpuAxisPlan(0, 1, 0, 0, false, 8));
        assertThat(v4.cols()).isEqualTo(new KpuAxisPlan(0, 1, 0, 0, false, 8));

        LoweringContext v3 = context(g, QuantRules.V3);
        ConvMappings c = PaddingMapping.run(v3);
        Layer conv = named(g, "conv");
        assertThat(c.spec(conv.id())).isNotNull();
        assertThat(c.mapping(conv.id())).isNull();
        assertThat(PaddingMapping.geometryReason(v3, conv, c.spec(conv.id()))).contains("kmodel V3 has no layer for that");
    }

    // pins: StrideDeferral on V4 — a depthwise stride-2 conv whose sole consumer is a stride-1 1×1 conv runs at stride 1
    // and that 1×1 conv down-samples; on V3 the same conv takes the odd-grid pick
    @Test
    void depthwiseStrideTwoBeforeAPointwiseConvDefersItsStride() {
        Graph g = oneConv(16, dw3(2, Padding.SAME), false);
        ConvMapping v4 = mapping(g, QuantRules.V4, "conv");
        assertThat(v4.deferStride()).isTrue();
        assertThat(v4.sliceStride()).isFalse();
        assertThat(StrideDeferral.deferrable(context(g, QuantRules.V4), named(g, "conv"))).isTrue();

        ConvMapping v3 = mapping(g, QuantRules.V3, "conv");
        assertThat(v3.shiftRows()).isEqualTo(1);
        assertThat(v3.deferStride()).isFalse();
    }

    // pins: StridedSliceFallback on V4 — a depthwise stride-2 conv feeding two layers (no 1×1 conv can take its stride)
    // runs at stride 1 (TF's stride-1 'same' padding (0, 1): crop the first row/column) and a CPU slice keeps every second
    @Test
    void depthwiseStrideTwoFeedingTwoLayersIsSlicedOnV4() {
        Graph g = oneConv(16, dw3(2, Padding.SAME), false);
        secondPointwise(g, "conv");
        LoweringContext v4 = context(g, QuantRules.V4);
        assertThat(StrideDeferral.deferrable(v4, named(g, "conv"))).isFalse();

        ConvMapping m = PaddingMapping.run(v4).mapping(named(g, "conv").id());

        assertThat(m.sliceStride()).isTrue();
        assertThat(m.deferStride()).isFalse();
        assertThat(m.rows()).isEqualTo(new KpuAxisPlan(0, 0, 1, 0, false, 16));
        assertThat(m.cols()).isEqualTo(new KpuAxisPlan(0, 0, 1, 0, false, 16));
    }

    // pins: V3 cannot slice: a ZeroPadding2D(1) + 'valid' depthwise stride-2 conv feeding two layers has no mapping,
    // and the reason says a 1×1 conv must follow it
    @Test
    void v3DepthwiseStrideTwoWithoutAPointwiseConvAfterIsRefused() {
        Graph g = oneConv(16, dw3(2, Padding.VALID), true);
        secondPointwise(g, "conv");
        LoweringContext v3 = context(g, QuantRules.V3);
        ConvMappings c = PaddingMapping.run(v3);
        Layer conv = named(g, "conv");

        assertThat(c.mapping(conv.id())).isNull();
        assertThat(PaddingMapping.geometryReason(v3, conv, c.spec(conv.id()))).contains("must be followed by a 1×1 conv");
        assertThat(convs(g, QuantRules.V4).mapping(conv.id()).sliceStride()).isTrue();
    }

    // pins: a ZeroPadding2D is folded only into a KPU-suited conv that is its sole consumer; the KPU's limits are
    // reasons (5×5 kernel, dilation, < 4×4 output, V3's missing tanh table), not mappings
    @Test
    void paddingFoldsOnlyIntoASuitedSoleConsumerAndUnsuitedConvsGetReasons() {
        Graph twoConsumers = oneConv(16, conv3(1, Padding.VALID), true);
        secondPointwise(twoConsumers, "pad");
        assertThat(convs(twoConsumers, QuantRules.V4).padAbsorbed()).isEmpty();

        Graph k5 = oneConv(16, new Conv2D(8, 5, 5, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.LINEAR), true);
        ConvMappings c5 = convs(k5, QuantRules.V4);
        assertThat(c5.padAbsorbed()).isEmpty();
        assertThat(c5.reason(named(k5, "conv").id())).contains("kernel 5×5");
        assertThat(c5.onKpu(named(k5, "conv").id())).isFalse();

        Graph dilated = oneConv(16, new Conv2D(8, 3, 3, 1, 1, Padding.SAME, 2, 2, false, ActivationFn.LINEAR), false);
        assertThat(convs(dilated, QuantRules.V4).reason(named(dilated, "conv").id())).contains("dilation 2×2");

        Graph tiny = oneConv(6, conv3(2, Padding.SAME), false);
        assertThat(convs(tiny, QuantRules.V4).reason(named(tiny, "conv").id())).contains("smaller than 4×4");

        Graph tanh = oneConv(16, new Conv2D(8, 3, 3, 1, 1, Padding.SAME, 1, 1, false, ActivationFn.TANH), false);
        assertThat(convs(tanh, QuantRules.V3).reason(named(tanh, "conv").id())).contains("no nncase 0.1 KPU table");
        assertThat(convs(tanh, QuantRules.V4).reason(named(tanh, "conv").id())).isNull();
    }

    // pins the real MobileNet (TinyMaix mbnet128, five stride-2 convs with TF's (0, 1) padding on even grids): V3 picks the
    // odd grid for all five; V4 pre-pads/crops conv1 (right-top columns) and defers the four depthwise strides to the
    // next 1×1 conv; every ZeroPadding2D folds into its conv on both targets
    @Test
    void mobilenetStrideTwoConvs() throws Exception {
        Graph g = Lowerings.mbnet128();
        List<String> strided = List.of("conv1_relu", "conv_dw_2_relu", "conv_dw_4_relu", "conv_dw_6_relu", "conv_dw_12_relu");
        ConvMappings v3 = convs(g, QuantRules.V3);
        ConvMappings v4 = convs(g, QuantRules.V4);
        long pads = g.layers().stream().filter(l -> l.params() instanceof ZeroPadding2D).count();
        assertThat(pads).isEqualTo(4);
        assertThat(v3.padAbsorbed()).hasSize(4);
        assertThat(v4.padAbsorbed()).hasSize(4);
        for (String name : strided) {
            String id = startingWith(g, name).id();
            assertThat(v3.spec(id).padTop()).as(name).isZero();
            assertThat(v3.spec(id).padBottom()).as(name).isEqualTo(1);
            assertThat(v3.mapping(id).shiftRows()).as(name).isEqualTo(1);
            assertThat(v3.mapping(id).shiftCols()).as(name).isEqualTo(1);
            ConvMapping m = v4.mapping(id);
            assertThat(m.shiftSelect()).as(name).isFalse();
            assertThat(m.sliceStride()).as(name).isFalse();
            assertThat(m.deferStride()).as(name).isEqualTo(!name.equals("conv1_relu"));
        }
        ConvMapping conv1 = v4.mapping(startingWith(g, "conv1_relu").id());
        assertThat(conv1.rows()).isEqualTo(new KpuAxisPlan(1, 1, 1, 0, false, 65));
        assertThat(conv1.cols()).isEqualTo(new KpuAxisPlan(0, 0, 0, 0, true, 64));
        assertThat(g.ids().stream().filter(v4::onKpu).count()).isEqualTo(27);
        assertThat(g.ids().stream().filter(v3::onKpu).count()).isEqualTo(27);
    }
}
