package k210studio.ir.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static k210studio.ir.rules.Verdict.*;

import k210studio.ir.edit.EditHistory;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/** M1–M6: layers outside a KPU group, a passing and a failing case each, with the V3/V4 difference. */
class LayerRulesTest {

    private static void assertVerdicts(LayerCheck l, Verdict v3, Verdict v4) {
        assertThat(l.v3().verdict()).as("V3 of %s: %s", l.name(), l.v3().reason()).isEqualTo(v3);
        assertThat(l.v4().verdict()).as("V4 of %s: %s", l.name(), l.v4().reason()).isEqualTo(v4);
    }

    @Test
    void m1DenseUsesThe4x4KpuTrickWhenSmallEnough() {
        // 256 → 10: both versions pad to 4×4 and run a 1×1 KPU conv
        Nets mid = Nets.vector(256).then("fc", new Dense(10, true, ActivationFn.LINEAR));
        LayerCheck m = mid.at(mid.check(), "fc");
        assertVerdicts(m, KPU_CPU, KPU_CPU);
        assertThat(m.v3().rule()).isEqualTo(Rule.M1);
        assertThat(mid.check().memory(Target.V3).kpuLayers()).hasSize(1);
        // 64 → 10: only 640 weights, below nncase 0.2's --output-quantize-threshold 1024: CPU matmul on V4
        Nets small = Nets.vector(64).then("fc", new Dense(10, true, ActivationFn.LINEAR));
        assertVerdicts(small.at(small.check(), "fc"), KPU_CPU, CPU);
        // 2048 inputs: beyond the KPU's 1024 channels: float on the CPU in both
        Nets big = Nets.vector(2048).then("fc", new Dense(10, true, ActivationFn.LINEAR));
        LayerCheck b = big.at(big.check(), "fc");
        assertVerdicts(b, CPU, CPU);
        assertThat(b.v3().reason()).contains("FULLY_CONNECTED");
    }

    @Test
    void m1OneByOneConvOnAOneByOneMapIsAFullyConnectedLayer() {
        // MobileNet's head: GlobalAveragePooling2D(keepdims) → 1×1 conv; rc5 rewrites it to FC and uses the 4×4 trick
        Nets n = Nets.input(8, 8, 256).then("gap", new GlobalAveragePooling2D(true)).then("preds", Conv2D.of(100, 1, 1, Padding.VALID));
        CheckReport r = n.check();
        LayerCheck c = n.at(r, "preds");
        assertVerdicts(c, KPU_CPU, CPU);
        assertThat(c.v3().rule()).isEqualTo(Rule.M1);
        assertThat(r.memory(Target.V3).kpuLayers()).singleElement().satisfies(m -> assertThat(m.input()).isEqualTo(TensorShape.hwc(4, 4, 256)));
        assertThat(r.convertsFor(Target.V3)).isTrue();
    }

    @Test
    void m2ConvTranspose() {
        Nets n = Nets.input(8, 8, 4).then("up", new Conv2DTranspose(4, 3, 3, 2, 2, Padding.SAME, true, ActivationFn.LINEAR));
        LayerCheck c = n.at(n.check(), "up");
        assertVerdicts(c, UNSUPPORTED, KPU_CPU);
        assertThat(c.v3().rule()).isEqualTo(Rule.M2);
        // the passing alternative: nearest upsampling + conv
        Nets ok = Nets.input(8, 8, 4).then("up", new UpSampling2D(2, 2, Interpolation.NEAREST)).then("conv", Conv2D.of(4, 3, 1, Padding.SAME));
        CheckReport r = ok.check();
        assertVerdicts(ok.at(r, "up"), CPU, CPU);
        assertVerdicts(ok.at(r, "conv"), KPU, KPU);
    }

    @Test
    void m3StandaloneBatchNormAndActivation() {
        Nets n = Nets.input(8, 8, 4);
        String a = n.last;
        String c1 = n.g.add("c1", Conv2D.of(4, 1, 1, Padding.SAME), a);
        String c2 = n.g.add("c2", Conv2D.of(4, 1, 1, Padding.SAME), a);
        String add = n.g.add("add", new Add(), c1, c2);
        String bn = n.g.add("bn", BatchNormalization.keras(), add);
        n.g.add("relu", ReLU.plain(), bn);
        CheckReport r = n.check();
        assertVerdicts(n.at(r, "add"), CPU, CPU);
        LayerCheck b = n.at(r, "bn");
        assertVerdicts(b, UNSUPPORTED, CPU);
        assertThat(b.v3().rule()).isEqualTo(Rule.M3);
        assertVerdicts(n.at(r, "relu"), UNSUPPORTED, CPU);
        // a ReLU on values that already went through a ReLU does nothing (the audio CNN's Flatten → ReLU): the compiler
        // removes it, so V3 converts as it is, and the fix removes it from the design, keeping the chain
        Nets redundant = Nets.input(8, 8, 4).then("conv", Conv2D.of(4, 3, 1, Padding.SAME)).then("relu", ReLU.plain())
                .then("flat", new Flatten()).then("relu2", new Activation(ActivationFn.RELU)).then("fc", new Dense(3, true, ActivationFn.LINEAR));
        LayerCheck r2 = redundant.at(redundant.check(), "relu2");
        assertVerdicts(r2, CPU, CPU);
        assertThat(r2.v3().reason()).contains("does nothing", "[0, ∞)", "set by relu", "the compiler removes it");
        assertThat(redundant.check().convertsFor(Target.V3)).isTrue();
        assertThat(r2.fixes()).singleElement().satisfies(f -> assertThat(f.warning()).isNull());
        Graph beforeFix = redundant.g.copy();
        EditHistory eh = new EditHistory(redundant.g);
        eh.execute(r2.fixes().get(0).command());
        assertThat(redundant.g.inputsOf(redundant.id("fc"))).containsExactly(redundant.id("flat"));
        assertThat(redundant.check().convertsFor(Target.V3)).isTrue();
        eh.undo();
        assertThat(redundant.g).isEqualTo(beforeFix);
        // but a ReLU6 after a ReLU clips values above 6, and a ReLU after a linear conv clips negatives: both still count
        Nets clips6 = Nets.input(8, 8, 4).then("conv", Conv2D.of(4, 3, 1, Padding.SAME).withActivation(ActivationFn.RELU))
                .then("flat", new Flatten()).then("relu6", new ReLU(6f, 0f, 0f)).then("fc", new Dense(3, true, ActivationFn.LINEAR));
        assertVerdicts(clips6.at(clips6.check(), "relu6"), UNSUPPORTED, CPU);
        Nets linear = Nets.input(8, 8, 4).then("conv", Conv2D.of(4, 3, 1, Padding.SAME)).then("flat", new Flatten())
                .then("relu", ReLU.plain()).then("fc", new Dense(3, true, ActivationFn.LINEAR));
        assertVerdicts(linear.at(linear.check(), "relu"), UNSUPPORTED, CPU);
        // a ReLU6 after a sigmoid (values in [0, 1]) does nothing either
        Nets sig6 = Nets.input(8, 8, 4).then("conv", Conv2D.of(4, 3, 1, Padding.SAME).withActivation(ActivationFn.SIGMOID))
                .then("pool", MaxPooling2D.of(2, 2, Padding.VALID)).then("relu6", new ReLU(6f, 0f, 0f));
        assertVerdicts(sig6.at(sig6.check(), "relu6"), CPU, CPU);
        // a standalone sigmoid has a V3 layer (LOGISTIC)
        Nets s = Nets.vector(8).then("sig", new Activation(ActivationFn.SIGMOID));
        assertVerdicts(s.at(s.check(), "sig"), CPU, CPU);
        // BN right after a conv is absorbed: KPU
        Nets ok = Nets.input(8, 8, 4).then("conv", Conv2D.of(4, 3, 1, Padding.SAME)).then("bn", BatchNormalization.keras());
        assertVerdicts(ok.at(ok.check(), "bn"), KPU, KPU);
        // a conv that already has an activation cannot absorb a BN after it
        Nets late = Nets.input(8, 8, 4).then("conv", Conv2D.of(4, 3, 1, Padding.SAME).withActivation(ActivationFn.RELU))
                .then("bn", BatchNormalization.keras());
        CheckReport lr = late.check();
        assertVerdicts(late.at(lr, "conv"), KPU, KPU);
        assertVerdicts(late.at(lr, "bn"), UNSUPPORTED, CPU);
    }

    @Test
    void m4CpuLayers() {
        Nets n = Nets.input(8, 8, 4).then("conv", Conv2D.of(4, 3, 1, Padding.SAME)).then("gap", new GlobalAveragePooling2D(false))
                .then("sm", Softmax.lastAxis());
        CheckReport r = n.check();
        assertVerdicts(n.at(r, "gap"), CPU, CPU);
        assertVerdicts(n.at(r, "sm"), CPU, CPU);
        Nets f = Nets.input(8, 8, 4).then("flat", new Flatten()).then("rs", Reshape.to(4, 4, 16)).then("up", new UpSampling2D(2, 2, Interpolation.NEAREST));
        CheckReport fr = f.check();
        assertVerdicts(f.at(fr, "flat"), CPU, CPU);
        assertVerdicts(f.at(fr, "rs"), CPU, CPU);
        assertVerdicts(f.at(fr, "up"), CPU, CPU);
        Nets cat = Nets.input(8, 8, 4);
        String in = cat.last;
        cat.g.add("cat", Concatenate.channels(), in, in);
        assertVerdicts(cat.at(cat.check(), "cat"), CPU, CPU);
        Nets rz = Nets.input(8, 8, 4).then("rz", new Resizing(16, 12, Interpolation.NEAREST, false, false));
        assertVerdicts(rz.at(rz.check(), "rz"), CPU, CPU);
        Nets rb = Nets.input(8, 8, 4).then("rz", new Resizing(16, 12, Interpolation.BILINEAR, false, true));
        assertVerdicts(rb.at(rb.check(), "rz"), UNSUPPORTED, CPU);
        // failing: bilinear upsampling has no V3 layer
        Nets bl = Nets.input(8, 8, 4).then("up", new UpSampling2D(2, 2, Interpolation.BILINEAR));
        LayerCheck bc = bl.at(bl.check(), "up");
        assertVerdicts(bc, UNSUPPORTED, CPU);
        new EditHistory(bl.g).execute(bc.fixes().get(0).command());
        assertVerdicts(bl.at(bl.check(), "up"), CPU, CPU);
    }

    @Test
    void m5DynamicReshapeAndItsFix() {
        Nets n = Nets.input(4, 4, 2).then("rs", new Reshape(TensorShape.of(-1), true)).then("fc", new Dense(3, true, ActivationFn.LINEAR));
        LayerCheck c = n.at(n.check(), "rs");
        assertVerdicts(c, UNSUPPORTED, UNSUPPORTED);
        assertThat(c.v4().reason()).contains("PACK");
        Graph before = n.g.copy();
        EditHistory h = new EditHistory(n.g);
        h.execute(c.fixes().get(0).command());
        assertThat(n.g.layer(n.id("rs")).params()).isEqualTo(new Reshape(TensorShape.of(32), false));
        assertVerdicts(n.at(n.check(), "rs"), CPU, CPU);
        h.undo();
        assertThat(n.g).isEqualTo(before);
    }

    @Test
    void m6OperatorsOutsideTheLists() {
        Nets gmp = Nets.input(8, 8, 4).then("gmp", new GlobalMaxPooling2D(false));
        LayerCheck gc = gmp.at(gmp.check(), "gmp");
        assertVerdicts(gc, UNSUPPORTED, CPU);
        new EditHistory(gmp.g).execute(gc.fixes().get(0).command());
        assertVerdicts(gmp.at(gmp.check(), "gmp"), CPU, CPU);
        Nets n = Nets.input(8, 8, 4);
        String in = n.last;
        n.g.add("sub", new Subtract(), in, in);
        n.g.add("mul", new Multiply(), in, in);
        CheckReport r = n.check();
        assertVerdicts(n.at(r, "sub"), UNSUPPORTED, CPU);
        assertVerdicts(n.at(r, "mul"), UNSUPPORTED, CPU);
        assertThat(r.convertsFor(Target.V3)).isFalse();
        assertThat(r.convertsFor(Target.V4)).isTrue();
        // passing: the same graph with Add converts for V3
        Nets ok = Nets.input(8, 8, 4);
        ok.g.add("add", new Add(), ok.last, ok.last);
        assertThat(ok.check().convertsFor(Target.V3)).isTrue();
    }

    @Test
    void standalonePaddingHasNoV3Layer() {
        // the padding feeds two convs: not absorbed into either
        Nets n = Nets.input(16, 16, 4).then("pad", ZeroPadding2D.symmetric(1));
        String pad = n.last;
        n.g.add("c1", Conv2D.of(4, 3, 1, Padding.VALID), pad);
        n.g.add("c2", Conv2D.of(4, 3, 1, Padding.VALID), pad);
        CheckReport r = n.check();
        assertVerdicts(n.at(r, "pad"), UNSUPPORTED, CPU);
        assertThat(r.groupOf(pad)).isNull();
        assertThat(r.groups()).hasSize(2);
    }

    @Test
    void graphProblemsAndShapeErrorsAreUnsupportedWithTheMessage() {
        Nets n = Nets.input(8, 8, 4).then("fc", new Dense(3, true, ActivationFn.LINEAR));
        n.g.add("conv", Conv2D.of(4, 3, 1, Padding.SAME), n.last); // a conv on a rank-3 Dense output is fine...
        n.g.add("loose", new Add());
        CheckReport r = n.check();
        assertThat(r.graphProblems()).anyMatch(p -> p.contains("loose"));
        assertThat(n.at(r, "loose").v3().rule()).isEqualTo(Rule.G1);
        assertThat(r.convertsFor(Target.V4)).isFalse();
        Nets bad = Nets.vector(10).then("conv", Conv2D.of(4, 3, 1, Padding.SAME));
        LayerCheck c = bad.at(bad.check(), "conv");
        assertVerdicts(c, UNSUPPORTED, UNSUPPORTED);
        assertThat(c.v3().reason()).contains("H×W×C");
    }

    @Test
    void checkingNeverChangesTheGraph() {
        Graph g = BriefNetworks.needsFixing();
        Graph copy = g.copy();
        String next = g.copy().newId();
        K210Checker.check(g);
        assertThat(g).isEqualTo(copy);
        assertThat(g.copy().newId()).as("fixes take ids only when applied").isEqualTo(next);
    }
}
