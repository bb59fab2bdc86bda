package k210studio.ir.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import k210studio.ir.edit.CompoundCommand;
import k210studio.ir.edit.EditCommand;
import k210studio.ir.edit.EditHistory;
import k210studio.ir.graph.Graph;
import k210studio.ir.samples.SampleNetworks;
import org.junit.jupiter.api.Test;

/** The shipped sample networks ({@link SampleNetworks}) lint as the issue describes. */
class SampleNetworksCheckTest {

    @Test
    void briefTwoClassIsKpuPerConvGroupForV3AndV4() {
        Graph g = SampleNetworks.briefTwoClass();
        CheckReport r = K210Checker.check(g);
        assertThat(r.groups()).hasSize(16);
        for (KpuGroup grp : r.groups()) {
            assertThat(r.layer(grp.convId()).verdict(Target.V3)).as(r.layer(grp.convId()).v3().reason()).isEqualTo(Verdict.KPU);
            assertThat(r.layer(grp.convId()).verdict(Target.V4)).isEqualTo(Verdict.KPU);
        }
        assertThat(r.layer(g.layerNamed("flatten").id()).verdict(Target.V3)).isEqualTo(Verdict.CPU);
        assertThat(r.layer(g.layerNamed("dense").id()).verdict(Target.V3)).isEqualTo(Verdict.CPU);
        assertThat(r.convertsFor(Target.V3)).isTrue();
        assertThat(r.deployableFor(Target.V3)).isTrue();
    }

    @Test
    void needsFixingBecomesV3CleanWithAllFixesAndUndoRestoresIt() {
        Graph g = SampleNetworks.briefNeedsFixing();
        Graph original = g.copy();
        CheckReport r = K210Checker.check(g);
        assertThat(r.convertsFor(Target.V3)).isFalse();
        List<EditCommand> all = new ArrayList<>();
        for (LayerCheck l : r.layers()) {
            if (!l.fixes().isEmpty()) {
                all.add(l.fixes().get(0).command()); // the first (preferred) fix of each layer
            }
        }
        assertThat(all).hasSize(5);
        EditHistory h = new EditHistory(g);
        h.execute(new CompoundCommand("Apply all fixes", all));
        CheckReport fixed = K210Checker.check(g);
        assertThat(fixed.convertsFor(Target.V3)).as(ReportPrinter.table(fixed)).isTrue();
        assertThat(fixed.fixes()).isEmpty();
        h.undo();
        assertThat(g).isEqualTo(original);
    }

    @Test
    void mobileNetStyleConvertsForBothTargets() {
        Graph g = SampleNetworks.mobileNetStyle();
        CheckReport r = K210Checker.check(g);
        assertThat(r.convertsFor(Target.V3)).as(ReportPrinter.table(r)).isTrue();
        assertThat(r.convertsFor(Target.V4)).isTrue();
        // stride-2 depthwise convs hand their stride to the next 1×1 conv: KPU in both versions
        for (KpuGroup grp : r.groups()) {
            assertThat(r.layer(grp.convId()).verdict(Target.V3)).as(r.layer(grp.convId()).name()).isEqualTo(Verdict.KPU);
        }
    }
}
