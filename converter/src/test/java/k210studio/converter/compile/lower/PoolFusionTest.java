package k210studio.converter.compile.lower;

import static k210studio.converter.compile.PassTesting.named;
import static k210studio.converter.compile.PassTesting.random;
import static k210studio.converter.compile.lower.Lowerings.context;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import k210studio.converter.compile.K210Program;
import k210studio.converter.compile.PassTesting;
import k210studio.converter.compile.PlanStep;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolFusionTest {

    /** image (size×size×3) → conv → pool → 1×1 conv. */
    private static Graph convPool(int size, LayerParams conv, LayerParams pool) {
        Graph g = new Graph("pool");
        String in = g.add("image", new Input(TensorShape.hwc(size, size, 3)));
        String key = conv instanceof DepthwiseConv2D ? "depthwise_kernel" : "kernel";
        int ch = conv instanceof DepthwiseConv2D ? 3 : 8;
        String c = g.add("conv", conv, Map.of(key, conv instanceof DepthwiseConv2D ? random(1, 3, 3, 3, 1) : random(1, 3, 3, 3, 8)), in);
        String p = g.add("pool", pool, c);
        g.add("pw", new Conv2D(4, 1, 1, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.LINEAR), Map.of("kernel", random(2, 1, 1, ch, 4)), p);
        return g;
    }

    private static Conv2D conv(int stride, ActivationFn act) {
        return new Conv2D(8, 3, 3, stride, stride, Padding.SAME, 1, 1, false, act);
    }

    private static Map<String, FusedPool> fused(Graph g, QuantRules t) {
        LoweringContext ctx = context(g, t);
        return PoolFusion.run(ctx, PaddingMapping.run(ctx));
    }

    // pins (kpu-arith.md §2): the pools the KPU's pool stage has — 2×2/2 max 1, avg 2; 4×4/4 max 3, avg 4; 2×2/1 'same'
    // max 9, avg 8 — fuse into the stride-1 conv before them on both targets
    @ParameterizedTest
    @CsvSource({"max,2,2,VALID,1", "avg,2,2,VALID,2", "max,4,4,VALID,3", "avg,4,4,SAME,4", "max,2,1,SAME,9", "avg,2,1,SAME,8",
            "max,2,2,SAME,1"})
    void kpuPoolsFuse(String kind, int pool, int stride, Padding pad, int type) {
        LayerParams p = kind.equals("max") ? MaxPooling2D.of(pool, stride, pad) : AveragePooling2D.of(pool, stride, pad);
        Graph g = convPool(16, conv(1, ActivationFn.RELU), p);
        for (QuantRules t : QuantRules.values()) {
            assertThat(fused(g, t)).as("%s", t).containsExactly(Map.entry(named(g, "conv").id(), new FusedPool(named(g, "pool").id(), type)));
        }
    }

    // pins: pools the KPU does not have stay CPU layers — 3×3, 2×2 'valid' at stride 1, and 2×2 'same' at stride 2 on an
    // odd map (TF pads; the KPU pool floors)
    @ParameterizedTest
    @CsvSource({"16,3,2,SAME", "16,2,1,VALID", "15,2,2,SAME", "14,4,4,SAME"})
    void otherPoolsDoNotFuse(int size, int pool, int stride, Padding pad) {
        Graph g = convPool(size, conv(1, ActivationFn.RELU), MaxPooling2D.of(pool, stride, pad));
        assertThat(fused(g, QuantRules.V4)).isEmpty();
    }

    // pins: no fusion when the conv's output is needed as it is (a second consumer, a network output), when the pool
    // stage is taken (a stride-2 conv, a depthwise conv whose stride the next conv takes over), for depthwise convs
    // (nncase never pools them), a CPU crop after the KPU (V4 'same' 3×3 on a 'valid'-cropped input) or a sigmoid
    @Test
    void noFusionWhereThePoolStageIsTakenOrTheConvOutputIsNeeded() {
        MaxPooling2D p = MaxPooling2D.of(2, 2, Padding.VALID);
        Graph twoConsumers = convPool(16, conv(1, ActivationFn.RELU), p);
        twoConsumers.add("side", new Conv2D(4, 1, 1, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.LINEAR),
                Map.of("kernel", random(3, 1, 1, 8, 4)), named(twoConsumers, "conv").id());

        Graph convIsOutput = convPool(16, conv(1, ActivationFn.RELU), p);
        convIsOutput.setOutputs(List.of(named(convIsOutput, "conv").id(), named(convIsOutput, "pw").id()));

        Graph strided = convPool(16, conv(2, ActivationFn.RELU), p);
        Graph depthwise = convPool(16, new DepthwiseConv2D(3, 3, 1, 1, Padding.SAME, 1, 1, 1, false, ActivationFn.RELU), p);
        Graph sigmoid = convPool(16, conv(1, ActivationFn.SIGMOID), p);
        Graph cropped = convPool(16, new Conv2D(8, 3, 3, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.RELU), p);

        for (Graph g : List.of(twoConsumers, convIsOutput, strided, depthwise, sigmoid, cropped)) {
            for (QuantRules t : QuantRules.values()) {
                assertThat(fused(g, t)).as("%s %s", PassTesting.structure(g), t).isEmpty();
            }
        }
    }

    // pins: after a depthwise conv that defers its stride (V4), the next 1×1 conv's pool stage does that down-sampling,
    // so a pool after the 1×1 conv does not fuse
    @Test
    void noFusionAfterADeferredStride() {
        Graph g = new Graph("deferred");
        String in = g.add("image", new Input(TensorShape.hwc(16, 16, 3)));
        String dw = g.add("dw", new DepthwiseConv2D(3, 3, 2, 2, Padding.SAME, 1, 1, 1, false, ActivationFn.RELU),
                Map.of("depthwise_kernel", random(1, 3, 3, 3, 1)), in);
        String pw = g.add("pw", new Conv2D(8, 1, 1, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.RELU), Map.of("kernel", random(2, 1, 1, 3, 8)), dw);
        g.add("pool", MaxPooling2D.of(2, 2, Padding.VALID), pw);
        LoweringContext ctx = context(g, QuantRules.V4);
        ConvMappings convs = PaddingMapping.run(ctx);
        assertThat(convs.mapping(dw).deferStride()).isTrue();

        assertThat(PoolFusion.run(ctx, convs)).isEmpty();
    }

    // pins: the emission follows the decision — one KPU layer with pool type 1 whose output is the pool's, no CPU Pool step
    @Test
    void aFusedPoolIsPartOfTheConvsKpuLayer() throws Exception {
        Graph g = convPool(16, conv(1, ActivationFn.RELU), MaxPooling2D.of(2, 2, Padding.VALID));
        K210Program p = PassTesting.lower(g, QuantRules.V4);

        List<PlanStep.KpuConv> kpu = p.steps().stream().filter(s -> s instanceof PlanStep.KpuConv).map(s -> (PlanStep.KpuConv) s).toList();
        assertThat(kpu).hasSize(2);
        assertThat(kpu.get(0).plan().poolType()).isEqualTo(1);
        assertThat(kpu.get(0).plan().output().h()).isEqualTo(8);
        assertThat(kpu.get(0).plan().output().name()).isEqualTo("pool");
        assertThat(p.steps()).noneMatch(s -> s instanceof PlanStep.Pool);
    }
}
