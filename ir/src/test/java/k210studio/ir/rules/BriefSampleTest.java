package k210studio.ir.rules;

import static org.assertj.core.api.Assertions.assertThat;

import k210studio.ir.graph.Graph;
import org.junit.jupiter.api.Test;

/**
 * The brief's two-class network (Input 240×320×3, padding + 'valid' stride-2 convs, each conv
 * with BN + ReLU, Flatten → Dropout → Dense(2) → softmax): every conv group is one KPU layer for
 * V3 and V4, and the head gets the rule book's verdicts.
 */
class BriefSampleTest {

    @Test
    void everyConvGroupIsKpuForV3AndV4() {
        Graph g = BriefNetworks.brief();
        CheckReport r = K210Checker.check(g);
        assertThat(r.groups()).hasSize(16);
        for (KpuGroup grp : r.groups()) {
            for (String id : grp.layerIds()) {
                assertThat(r.layer(id).verdict(Target.V3)).as("V3 %s: %s", r.layer(id).name(), r.layer(id).v3().reason()).isEqualTo(Verdict.KPU);
                assertThat(r.layer(id).verdict(Target.V4)).as("V4 %s", r.layer(id).name()).isEqualTo(Verdict.KPU);
            }
        }
        // padding + conv + BN + ReLU fused; the stride-2 ones absorb their ZeroPadding2D
        KpuGroup first = r.groups().get(0);
        assertThat(first.layerIds()).hasSize(4);
        assertThat(first.paddingId()).isNotNull();
        assertThat(first.output().toString()).isEqualTo("120×160×32");
        assertThat(r.groups().get(15).output().toString()).isEqualTo("30×40×64");
        assertThat(r.fixes()).isEmpty();
        assertThat(r.convertsFor(Target.V3)).isTrue();
        assertThat(r.convertsFor(Target.V4)).isTrue();
    }

    @Test
    void headLayersGetTheRuleBooksVerdicts() {
        Graph g = BriefNetworks.brief();
        CheckReport r = K210Checker.check(g);
        LayerCheck flatten = r.layer(g.layerNamed("flatten").id());
        assertThat(flatten.v3().verdict()).isEqualTo(Verdict.CPU);
        assertThat(flatten.v3().rule()).isEqualTo(Rule.M4);
        assertThat(flatten.v3().reason()).contains("TENSORFLOW_FLATTEN");
        // Dense 76800 → 2: more than the KPU's 1024 input channels, so no 4×4 trick: float on the CPU (M1)
        LayerCheck dense = r.layer(g.layerNamed("dense").id());
        assertThat(dense.v3().verdict()).isEqualTo(Verdict.CPU);
        assertThat(dense.v4().verdict()).isEqualTo(Verdict.CPU);
        assertThat(dense.v3().rule()).isEqualTo(Rule.M1);
        assertThat(dense.v3().reason()).contains("76800 → 2");
        LayerCheck softmax = r.layer(g.layerNamed("activation").id());
        assertThat(softmax.v3().verdict()).isEqualTo(Verdict.CPU);
        assertThat(softmax.v4().verdict()).isEqualTo(Verdict.CPU);
        assertThat(r.layer(g.layerNamed("dropout").id()).v3().verdict()).isEqualTo(Verdict.CPU);
        assertThat(r.layer(g.layerNamed("input_1").id()).v3().verdict()).isEqualTo(Verdict.KPU);
    }

    @Test
    void kpuMemoryUsesTheSixtyFourByteLineLayout() {
        Graph g = BriefNetworks.brief();
        CheckReport r = K210Checker.check(g);
        MemoryEstimate m = r.memory(Target.V3);
        assertThat(m.kpuLayers()).hasSize(16);
        KpuLayerMemory first = m.kpuLayers().get(0);
        // 320×240×3: row_len 5 → 3600 lines = 230 400 B; 160×120×32: row_len 3 → 11 520 lines = 737 280 B
        assertThat(first.inputBytes()).isEqualTo(230_400);
        assertThat(first.outputBytes()).isEqualTo(737_280);
        // peak: 160×120×32 in (737 280) + 80×60×32 out (row_len 2 → 3840 lines = 245 760)
        assertThat(m.kpuPeakBytes()).isEqualTo(983_040);
        assertThat(m.kpuPeakLayer()).isEqualTo("conv2d_1");
        // the Dense's float weights dominate the main RAM: 76800·2·4 + 2·4 B
        assertThat(m.weightBytes()).isGreaterThan(614_408);
        assertThat(m.mainBytes()).isLessThan(MemoryBudget.MAIXPY_FULL_CAMERA_LCD.bytes());
        assertThat(m.fits()).isTrue();
        for (MemoryBudget b : MemoryBudget.values()) {
            assertThat(K210Checker.check(g, b).fitsMemory(Target.V3)).as(b.label()).isTrue();
        }
    }
}
