package k210studio.ir.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import k210studio.ir.edit.CompoundCommand;
import k210studio.ir.edit.EditCommand;
import k210studio.ir.edit.EditHistory;
import k210studio.ir.graph.Graph;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/**
 * The "needs fixing" variant (TF 'same' stride-2 convs, a 5×5 conv, a PReLU): every problem comes
 * with a fix; applying all of them leaves the model V3-clean (converts, every conv group one KPU
 * layer, no fix left) with the same output shape, and undo restores the original exactly.
 */
class FixAllTest {

    @Test
    void needsFixingHasAFixForEveryProblem() {
        Graph g = BriefNetworks.needsFixing();
        CheckReport r = K210Checker.check(g);
        assertThat(r.convertsFor(Target.V3)).isFalse();
        assertThat(r.convertsFor(Target.V4)).as("V4 converts it with CPU work").isTrue();
        assertThat(r.fixes()).extracting(Fix::rule).containsExactly(Rule.K3, Rule.K3, Rule.K1, Rule.K8, Rule.K8, Rule.K3);
        for (LayerCheck l : r.layers()) {
            if (l.v3().verdict() == Verdict.UNSUPPORTED && (l.groupId() == null || l.groupId().equals(l.layerId()))) {
                assertThat(l.fixes()).as("fix for %s", l.name()).isNotEmpty();
            }
        }
    }

    @Test
    void applyingAllFixesLeavesItV3CleanAndUndoRestoresIt() {
        Graph g = BriefNetworks.needsFixing();
        Graph original = g.copy();
        String out = g.layerNamed("activation").id();
        TensorShape outShape = ShapeInference.infer(g).shape(out);
        CheckReport r = K210Checker.check(g);
        List<EditCommand> all = new ArrayList<>();
        for (LayerCheck l : r.layers()) {
            if (!l.fixes().isEmpty()) {
                all.add(l.fixes().get(0).command()); // the first (preferred) fix of each layer
            }
        }
        EditHistory h = new EditHistory(g);
        h.execute(new CompoundCommand("Apply all fixes", all));

        CheckReport fixed = K210Checker.check(g);
        assertV3Clean(fixed);
        assertThat(ShapeInference.infer(g).shape(out)).isEqualTo(outShape);
        assertThat(fixed.groups()).hasSize(17); // the 5×5 became two 3×3 groups

        h.undo();
        assertThat(g).isEqualTo(original);
        h.redo();
        assertV3Clean(K210Checker.check(g));
    }

    @Test
    void fixesOneAtATimeFromFreshReportsReachTheSameState() {
        Graph g = BriefNetworks.needsFixing();
        Graph original = g.copy();
        EditHistory h = new EditHistory(g);
        for (int i = 0; i < 10; i++) {
            List<Fix> fixes = K210Checker.check(g).fixes();
            if (fixes.isEmpty()) {
                break;
            }
            h.execute(fixes.get(0).command());
        }
        assertV3Clean(K210Checker.check(g));
        assertThat(h.undoDepth()).isEqualTo(5);
        while (h.canUndo()) {
            h.undo();
        }
        assertThat(g).isEqualTo(original);
    }

    private static void assertV3Clean(CheckReport r) {
        assertThat(r.convertsFor(Target.V3)).as(ReportPrinter.table(r)).isTrue();
        assertThat(r.fixes()).isEmpty();
        for (KpuGroup grp : r.groups()) {
            assertThat(r.layer(grp.convId()).verdict(Target.V3)).as(r.layer(grp.convId()).name()).isEqualTo(Verdict.KPU);
            assertThat(r.layer(grp.convId()).verdict(Target.V4)).isEqualTo(Verdict.KPU);
        }
    }
}
