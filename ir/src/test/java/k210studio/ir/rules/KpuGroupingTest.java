package k210studio.ir.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import k210studio.ir.layer.*;
import org.junit.jupiter.api.Test;

/**
 * How layers fuse into one KPU layer: only sole consumers are absorbed, a model output ends a
 * group, SeparableConv2D is one group that becomes two KPU layers.
 */
class KpuGroupingTest {

    @Test
    void soleConsumersAreAbsorbedAndBranchesEndTheGroup() {
        Nets n = Nets.input(16, 16, 4).then("conv", Conv2D.of(8, 3, 1, Padding.SAME)).then("bn", BatchNormalization.keras());
        String bn = n.last;
        n.g.add("relu_a", ReLU.plain(), bn);
        n.g.add("relu_b", ReLU.plain(), bn);
        CheckReport r = n.check();
        KpuGroup g = r.groupOf(n.id("conv"));
        assertThat(g.layerIds()).containsExactly(n.id("conv"), bn);
        assertThat(r.groupOf(n.id("relu_a"))).isNull();
        assertThat(n.at(r, "relu_a").v3().verdict()).isEqualTo(Verdict.UNSUPPORTED);
        assertThat(n.at(r, "relu_a").v4().verdict()).isEqualTo(Verdict.CPU);
    }

    @Test
    void aModelOutputIsNotAbsorbed() {
        Nets n = Nets.input(16, 16, 4).then("conv", Conv2D.of(8, 3, 1, Padding.SAME)).then("relu", ReLU.plain());
        n.g.setOutputs(List.of(n.id("conv"), n.id("relu")));
        CheckReport r = n.check();
        assertThat(r.groupOf(n.id("relu"))).isNull();
        assertThat(r.groupOf(n.id("conv")).layerIds()).hasSize(1);
    }

    @Test
    void separableConvIsOneGroupAndTwoKpuLayers() {
        Nets n = Nets.input(32, 32, 8).then("sep", new SeparableConv2D(16, 3, 3, 1, 1, Padding.SAME, 1, true, ActivationFn.LINEAR))
                .then("bn", BatchNormalization.keras()).then("relu", ReLU.plain());
        CheckReport r = n.check();
        assertThat(n.at(r, "sep").v3().verdict()).isEqualTo(Verdict.KPU);
        assertThat(n.at(r, "relu").v4().verdict()).isEqualTo(Verdict.KPU);
        MemoryEstimate m = r.memory(Target.V3);
        assertThat(m.kpuLayers()).extracting(KpuLayerMemory::part).containsExactly("depthwise", "pointwise");
        // 32×32: g = 2 channels per line, row_len 1 → 32·4 lines for 8 channels, 32·8 for 16
        assertThat(m.kpuLayers().get(1).outputBytes()).isEqualTo(64L * 32 * 8);
        Nets mult = Nets.input(32, 32, 8).then("sep", new SeparableConv2D(16, 3, 3, 1, 1, Padding.SAME, 2, true, ActivationFn.LINEAR));
        LayerCheck c = mult.at(mult.check(), "sep");
        assertThat(c.v3().verdict()).isEqualTo(Verdict.UNSUPPORTED);
        assertThat(c.v4().verdict()).isEqualTo(Verdict.CPU);
        assertThat(c.v3().rule()).isEqualTo(Rule.K7);
    }

    @Test
    void inputFeedingACpuLayerStaysInMainRam() {
        Nets n = Nets.input(16, 16, 4).then("gap", new GlobalAveragePooling2D(false));
        assertThat(n.at(n.check(), "input_1").v3().verdict()).isEqualTo(Verdict.CPU);
        Nets k = Nets.input(16, 16, 4).then("conv", Conv2D.of(4, 1, 1, Padding.SAME));
        assertThat(k.at(k.check(), "input_1").v3().verdict()).isEqualTo(Verdict.KPU);
    }
}
