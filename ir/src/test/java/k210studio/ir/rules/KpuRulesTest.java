package k210studio.ir.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static k210studio.ir.rules.Verdict.*;

import java.util.Map;
import k210studio.ir.edit.EditHistory;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/**
 * K1–K10 and Q1 on one KPU group each: a passing and a failing case per rule, with the V3/V4
 * difference the rule book (and nncase rc5/beta4 code) gives.
 */
class KpuRulesTest {

    private static void assertVerdicts(LayerCheck l, Verdict v3, Verdict v4) {
        assertThat(l.v3().verdict()).as("V3 of %s: %s", l.name(), l.v3().reason()).isEqualTo(v3);
        assertThat(l.v4().verdict()).as("V4 of %s: %s", l.name(), l.v4().reason()).isEqualTo(v4);
    }

    /** Checks the whole net; its layer "conv" gets these verdicts. Returns that layer's check for more assertions. */
    private static LayerCheck assertConv(Nets n, Verdict v3, Verdict v4) {
        LayerCheck c = n.at(n.check(), "conv");
        assertVerdicts(c, v3, v4);
        return c;
    }

    private static Nets conv(int h, int w, int c, LayerParams p) {
        return Nets.input(h, w, c).then("conv", p).then("bn", BatchNormalization.keras()).then("relu", ReLU.plain());
    }

    @Test
    void k1KernelSize() {
        Nets ok = conv(32, 32, 8, Conv2D.of(8, 3, 1, Padding.SAME));
        CheckReport r = ok.check();
        assertVerdicts(ok.at(r, "conv"), KPU, KPU);
        assertThat(ok.at(r, "conv").v3().rule()).isEqualTo(Rule.KPU_OK);
        assertVerdicts(ok.at(r, "relu"), KPU, KPU);
        Nets one = conv(32, 32, 8, Conv2D.of(8, 1, 1, Padding.VALID));
        assertConv(one, KPU, KPU);

        LayerCheck c = assertConv(conv(32, 32, 8, Conv2D.of(8, 5, 1, Padding.SAME)), UNSUPPORTED, CPU);
        assertThat(c.v3().rule()).isEqualTo(Rule.K1);
        assertThat(c.v3().reason()).contains("5×5");
        assertThat(c.fixes()).extracting(Fix::rule).containsExactly(Rule.K1);
        assertThat(c.fixes().get(0).warning()).contains("retrain");
        // a non-square kernel has no automatic split
        Nets odd = conv(32, 32, 8, Conv2D.of(8, 3, 1, Padding.SAME).withKernel(1, 3));
        LayerCheck oc = assertConv(odd, UNSUPPORTED, CPU);
        assertThat(oc.fixes()).isEmpty();
    }

    @Test
    void k1SevenBySevenSplitsIntoThreeAndKeepsShapes() {
        Nets n = conv(64, 64, 3, Conv2D.of(16, 7, 2, Padding.SAME));
        Graph before = n.g.copy();
        TensorShape out = ShapeInference.infer(n.g).shape(n.id("relu"));
        LayerCheck c = n.at(n.check(), "conv");
        EditHistory h = new EditHistory(n.g);
        h.execute(c.fixes().get(0).command());
        CheckReport after = K210Checker.check(n.g);
        assertThat(ShapeInference.infer(n.g).shape(n.id("relu"))).isEqualTo(out);
        assertThat(after.groups()).hasSize(3);
        for (LayerCheck l : after.layers()) {
            if (l.groupId() != null) {
                assertVerdicts(l, KPU, KPU);
            }
        }
        h.undo();
        assertThat(n.g).isEqualTo(before);
    }

    @Test
    void k2Stride() {
        assertConv(conv(32, 32, 8, Conv2D.of(8, 1, 2, Padding.VALID)), KPU, KPU);
        LayerCheck c = assertConv(conv(48, 48, 8, Conv2D.of(8, 3, 3, Padding.SAME)), UNSUPPORTED, KPU_CPU);
        assertThat(c.v4().rule()).isEqualTo(Rule.K2);
        assertThat(c.v4().reason()).contains("StridedSlice");
    }

    @Test
    void k3TfSameStride2OnEvenSizeAndItsFix() {
        Nets bad = conv(32, 32, 8, Conv2D.of(8, 3, 2, Padding.SAME));
        LayerCheck c = assertConv(bad, UNSUPPORTED, KPU_CPU);
        assertThat(c.v3().rule()).isEqualTo(Rule.K3);
        assertThat(c.v3().reason()).contains("pads 0 before and 1 after");
        Fix f = c.fixes().get(0);
        assertThat(f.title()).contains("ZeroPadding2D(((1,1),(1,1)))").contains("'valid'");
        assertThat(f.warning()).contains("sampling grid");
        Graph before = bad.g.copy();
        EditHistory h = new EditHistory(bad.g);
        h.execute(f.command());
        CheckReport r = K210Checker.check(bad.g);
        assertVerdicts(bad.at(r, "conv"), KPU, KPU);
        assertThat(r.groupOf(bad.id("conv")).paddingId()).isNotNull();
        assertThat(ShapeInference.infer(bad.g).shape(bad.id("conv"))).isEqualTo(TensorShape.hwc(16, 16, 8));
        h.undo();
        assertThat(bad.g).isEqualTo(before);

        // the K210 form: ZeroPadding2D((1,1),(1,1)) + 'valid' stride 2 is one KPU layer, padding absorbed
        Nets ok = Nets.input(32, 32, 8).then("pad", ZeroPadding2D.symmetric(1)).then("conv", Conv2D.of(8, 3, 2, Padding.VALID));
        CheckReport rr = ok.check();
        assertVerdicts(ok.at(rr, "pad"), KPU, KPU);
        assertVerdicts(ok.at(rr, "conv"), KPU, KPU);
        assertThat(rr.groupOf(ok.id("pad")).convId()).isEqualTo(ok.id("conv"));
    }

    @Test
    void aStaleFixIsRefusedWithAMessageAndLeavesTheGraphAlone() {
        Nets n = conv(32, 32, 8, Conv2D.of(8, 3, 2, Padding.SAME));
        Fix f = n.at(n.check(), "conv").fixes().get(0);
        n.g.disconnect(n.id("conv"), 0); // the user edits the model before clicking the fix
        Graph before = n.g.copy();
        EditHistory h = new EditHistory(n.g);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.execute(f.command()))
                .isInstanceOf(k210studio.ir.graph.GraphException.class).hasMessageContaining("out of date");
        assertThat(n.g).isEqualTo(before);
        assertThat(h.canUndo()).isFalse();
    }

    @Test
    void k3ValidThreeByThreeWithoutPadding() {
        LayerCheck c = assertConv(conv(32, 32, 8, Conv2D.of(8, 3, 1, Padding.VALID)), UNSUPPORTED, KPU_CPU);
        assertThat(c.v4().reason()).contains("Crop");
        // symmetric case: ZeroPadding2D((1,1)) + 'valid' stride 1 = 'same'
        assertConv(Nets.input(32, 32, 8).then("pad", ZeroPadding2D.symmetric(1)).then("conv", Conv2D.of(8, 3, 1, Padding.VALID)), KPU, KPU);
    }

    @Test
    void k3AsymmetricExplicitPaddingIsResetByTheFix() {
        Nets bad = Nets.input(32, 32, 8).then("pad", new ZeroPadding2D(0, 1, 0, 1)).then("conv", Conv2D.of(8, 3, 2, Padding.VALID));
        LayerCheck c = assertConv(bad, UNSUPPORTED, KPU_CPU);
        new EditHistory(bad.g).execute(c.fixes().get(0).command());
        assertThat(bad.g.layer(bad.id("pad")).params()).isEqualTo(ZeroPadding2D.symmetric(1));
        assertConv(bad, KPU, KPU);
    }

    @Test
    void k3DepthwiseSameStride2GetsTheSameFix() {
        Nets n = Nets.input(32, 32, 8).then("dw", DepthwiseConv2D.of(3, 2, Padding.SAME)).then("pw", Conv2D.of(16, 1, 1, Padding.SAME));
        LayerCheck c = n.at(n.check(), "dw");
        assertVerdicts(c, UNSUPPORTED, KPU_CPU);
        new EditHistory(n.g).execute(c.fixes().get(0).command());
        CheckReport r = n.check();
        assertVerdicts(n.at(r, "dw"), KPU, KPU);
        assertThat(n.at(r, "dw").v4().hits()).extracting(RuleHit::rule).contains(Rule.K10);
    }

    @Test
    void k4InputSize() {
        // 240×320 (H×W) is exactly 320×240 (W×H): fine
        LayerCheck c = assertConv(conv(240, 320, 3, Conv2D.of(8, 3, 1, Padding.SAME)), KPU, KPU);
        assertThat(c.v3().hits()).extracting(RuleHit::rule).doesNotContain(Rule.K4);
        // within nncase's bound but beyond the FAQ's 320×240: KPU with a note
        Nets big = conv(256, 512, 3, Conv2D.of(4, 1, 1, Padding.VALID));
        LayerCheck b = assertConv(big, KPU, KPU);
        assertThat(b.v4().hits()).extracting(RuleHit::rule).contains(Rule.K4);
        // 320×240 given as H×W: 320 rows > 256
        Nets rotated = conv(320, 240, 3, Conv2D.of(8, 3, 1, Padding.SAME));
        LayerCheck rc = assertConv(rotated, UNSUPPORTED, CPU);
        assertThat(rc.v3().rule()).isEqualTo(Rule.K4);
        assertThat(rc.v3().reason()).contains("240×320 (W×H");
    }

    @Test
    void k5OutputAtLeastFourByFour() {
        assertConv(Nets.input(8, 8, 8).then("pad", ZeroPadding2D.symmetric(1)).then("conv", Conv2D.of(8, 3, 2, Padding.VALID)), KPU, KPU);
        LayerCheck c = assertConv(Nets.input(6, 6, 8).then("pad", ZeroPadding2D.symmetric(1)).then("conv", Conv2D.of(8, 3, 2, Padding.VALID)), UNSUPPORTED, CPU);
        assertThat(c.v3().rule()).isEqualTo(Rule.K5);
    }

    @Test
    void k6Channels() {
        assertConv(conv(8, 8, 1024, Conv2D.of(1024, 1, 1, Padding.SAME)), KPU, KPU);
        LayerCheck c = assertConv(conv(8, 8, 16, Conv2D.of(2048, 1, 1, Padding.SAME)), UNSUPPORTED, CPU);
        assertThat(c.v3().rule()).isEqualTo(Rule.K6);
    }

    @Test
    void k7DepthMultiplierAndDilation() {
        assertConv(conv(16, 16, 8, DepthwiseConv2D.of(3, 1, Padding.SAME)), KPU, KPU);
        assertConv(conv(16, 16, 8, new DepthwiseConv2D(3, 3, 1, 1, Padding.SAME, 2, 1, 1, true, ActivationFn.LINEAR)), UNSUPPORTED, CPU);
        LayerCheck d = assertConv(conv(16, 16, 8, new Conv2D(8, 3, 3, 1, 1, Padding.SAME, 2, 2, true, ActivationFn.LINEAR)), UNSUPPORTED, KPU_CPU);
        assertThat(d.v4().reason()).contains("space-to-batch");
    }

    @Test
    void k8Activations() {
        Nets relu = conv(16, 16, 8, Conv2D.of(8, 3, 1, Padding.SAME));
        assertVerdicts(relu.at(relu.check(), "relu"), KPU, KPU);
        Nets leaky = Nets.input(16, 16, 8).then("conv", Conv2D.of(8, 3, 1, Padding.SAME)).then("act", new LeakyReLU(0.1f));
        assertVerdicts(leaky.at(leaky.check(), "act"), KPU, KPU);
        Nets sig = Nets.input(16, 16, 8).then("conv", Conv2D.of(8, 3, 1, Padding.SAME)).then("act", new Activation(ActivationFn.SIGMOID));
        assertVerdicts(sig.at(sig.check(), "act"), KPU_CPU, KPU);
        Nets tanh = Nets.input(16, 16, 8).then("conv", Conv2D.of(8, 3, 1, Padding.SAME).withActivation(ActivationFn.TANH));
        LayerCheck t = assertConv(tanh, UNSUPPORTED, KPU);
        assertThat(t.v3().rule()).isEqualTo(Rule.K8);
        // PReLU: per-channel slope; fix to LeakyReLU with the mean slope
        float[] a = {0.1f, 0.2f, 0.3f, 0.4f};
        Nets pr = Nets.input(16, 16, 4).then("conv", Conv2D.of(4, 3, 1, Padding.SAME))
                .then("prelu", new PReLU(), Map.of("alpha", new Tensor(new int[] {1, 1, 4}, a)));
        CheckReport r = pr.check();
        LayerCheck p = pr.at(r, "prelu");
        assertVerdicts(p, UNSUPPORTED, CPU);
        assertVerdicts(pr.at(r, "conv"), KPU, KPU);
        assertThat(p.fixes().get(0).warning()).contains("retrain");
        Graph before = pr.g.copy();
        EditHistory h = new EditHistory(pr.g);
        h.execute(p.fixes().get(0).command());
        assertThat(pr.g.layer(pr.id("prelu")).params()).isEqualTo(new LeakyReLU(0.25f));
        assertThat(pr.g.layer(pr.id("prelu")).weights()).isEmpty();
        assertVerdicts(pr.at(pr.check(), "prelu"), KPU, KPU); // now absorbed into the conv's KPU layer
        h.undo();
        assertThat(pr.g).isEqualTo(before);
    }

    @Test
    void k9PoolFusion() {
        Nets ok = conv(16, 16, 8, Conv2D.of(8, 3, 1, Padding.SAME)).then("pool", MaxPooling2D.of(2, 2, Padding.VALID));
        CheckReport r = ok.check();
        assertVerdicts(ok.at(r, "pool"), KPU, KPU);
        assertThat(r.groupOf(ok.id("pool")).layerIds()).hasSize(4);
        assertThat(r.groupOf(ok.id("pool")).output()).isEqualTo(TensorShape.hwc(8, 8, 8));
        Nets s1 = conv(16, 16, 8, Conv2D.of(8, 3, 1, Padding.SAME)).then("pool", AveragePooling2D.of(2, 1, Padding.SAME));
        assertVerdicts(s1.at(s1.check(), "pool"), KPU, KPU);

        Nets bad = conv(16, 16, 8, Conv2D.of(8, 3, 1, Padding.SAME)).then("pool", MaxPooling2D.of(3, 2, Padding.SAME));
        LayerCheck p = bad.at(bad.check(), "pool");
        assertVerdicts(p, CPU, CPU);
        assertThat(p.v3().rule()).isEqualTo(Rule.K9);
        Nets dw = conv(16, 16, 8, DepthwiseConv2D.of(3, 1, Padding.SAME)).then("pool", MaxPooling2D.of(2, 2, Padding.VALID));
        LayerCheck d = dw.at(dw.check(), "pool");
        assertVerdicts(d, CPU, CPU);
        assertThat(d.v4().reason()).contains("depthwise");
        Nets tiny = conv(6, 6, 8, Conv2D.of(8, 3, 1, Padding.SAME)).then("pool", MaxPooling2D.of(2, 2, Padding.VALID));
        assertThat(tiny.at(tiny.check(), "pool").v3().rule()).isEqualTo(Rule.K5);
    }

    @Test
    void k10Stride2UsesThePoolingStage() {
        Nets n = Nets.input(32, 32, 8).then("pad", ZeroPadding2D.symmetric(1)).then("conv", Conv2D.of(8, 3, 2, Padding.VALID))
                .then("pool", MaxPooling2D.of(2, 2, Padding.VALID));
        CheckReport r = n.check();
        assertVerdicts(n.at(r, "conv"), KPU, KPU);
        LayerCheck p = n.at(r, "pool");
        assertVerdicts(p, CPU, CPU);
        assertThat(p.v3().rule()).isEqualTo(Rule.K10);
        // stride-2 depthwise: the stride moves to the next 1×1 conv (both nncase versions)
        Nets sep = Nets.input(32, 32, 8).then("pad", ZeroPadding2D.symmetric(1)).then("dw", DepthwiseConv2D.of(3, 2, Padding.VALID))
                .then("bn", BatchNormalization.keras()).then("relu", ReLU.relu6()).then("pw", Conv2D.of(16, 1, 1, Padding.SAME));
        assertVerdicts(sep.at(sep.check(), "dw"), KPU, KPU);
        Nets alone = Nets.input(32, 32, 8).then("pad", ZeroPadding2D.symmetric(1)).then("dw", DepthwiseConv2D.of(3, 2, Padding.VALID))
                .then("gap", new GlobalAveragePooling2D(false));
        LayerCheck a = alone.at(alone.check(), "dw");
        assertVerdicts(a, UNSUPPORTED, KPU_CPU);
        assertThat(a.v3().rule()).isEqualTo(Rule.K10);
    }

    @Test
    void q1WideWeightRangeFallsBackToFloatOnV4() {
        float[] k = new float[3 * 3 * 2 * 2];
        k[0] = 50f;
        k[1] = -30f;
        LayerCheck c = assertConv(Nets.input(16, 16, 2).then("conv", Conv2D.of(2, 3, 1, Padding.SAME), Map.of("kernel", new Tensor(new int[] {3, 3, 2, 2}, k))), KPU, CPU);
        assertThat(c.v4().rule()).isEqualTo(Rule.Q1);
        k[0] = 5f;
        assertConv(Nets.input(16, 16, 2).then("conv", Conv2D.of(2, 3, 1, Padding.SAME), Map.of("kernel", new Tensor(new int[] {3, 3, 2, 2}, k.clone()))), KPU, KPU);
    }
}
