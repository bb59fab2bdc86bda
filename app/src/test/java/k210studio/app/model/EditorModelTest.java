package k210studio.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Padding;
import k210studio.ir.rules.Target;
import k210studio.ir.rules.Verdict;
import k210studio.ir.samples.SampleNetworks;
import org.junit.jupiter.api.Test;

/** The view model without any window: edits, refusals, verdicts and fixes as the canvas sees them. */
class EditorModelTest {

    private static EditorModel newModel() {
        return new EditorModel(new Graph("t"));
    }

    @Test
    void palette_layers_connect_and_invalid_connections_are_refused_with_a_reason() {
        EditorModel m = newModel();
        String in = m.addLayer("InputLayer", new Position(0, 0));
        String conv = m.addLayer("Conv2D", new Position(0, 100));
        String dense = m.addLayer("Dense", new Position(0, 200));
        assertThat(m.connect(in, conv)).isNull();
        assertThat(m.graph().inputsOf(conv)).containsExactly(in);
        // into a model input
        assertThat(m.connect(conv, in)).contains("takes no input");
        // a second producer for a one-input layer
        String other = m.addLayer("InputLayer", new Position(300, 0));
        assertThat(m.connect(other, conv)).contains("one input");
        // a flattened vector cannot feed a Conv2D
        String flat = m.addLayer("Flatten", new Position(0, 200));
        assertThat(m.connect(conv, flat)).isNull();
        String conv2 = m.addLayer("Conv2D", new Position(0, 300));
        assertThat(m.connect(flat, conv2)).contains("H×W×C");
        assertThat(m.messageIsErrorProperty().get()).isTrue();
        assertThat(m.messageProperty().get()).startsWith("Cannot connect");
        assertThat(m.connect(flat, dense)).isNull();
        assertThat(m.graph().inputsOf(conv2)).isEmpty();
        // a cycle
        String relu = m.addLayer("ReLU", new Position(0, 400));
        assertThat(m.connect(conv, relu)).isNull();
        assertThat(m.whyNotConnect(relu, conv)).isNotNull();
        // the inspector's disconnect button runs this command
        assertThat(m.execute(new k210studio.ir.edit.DisconnectCommand(relu, 0))).isNull();
        assertThat(m.graph().inputsOf(relu)).isEmpty();
        m.undo();
        assertThat(m.graph().inputsOf(relu)).containsExactly(conv);
    }

    @Test
    void stride_two_same_is_unsupported_on_v3_and_kpu_plus_cpu_on_v4_and_the_fix_is_undoable() {
        EditorModel m = newModel();
        String in = m.addLayer("InputLayer", new Position(0, 0));
        String conv = m.addLayer("Conv2D", new Position(0, 100));
        m.connect(in, conv);
        m.setParams(conv, new Conv2D(8, 3, 3, 2, 2, Padding.SAME, 1, 1, true, k210studio.ir.layer.ActivationFn.LINEAR));
        assertThat(m.analysis().verdict(conv)).isEqualTo(Verdict.UNSUPPORTED);
        m.setTarget(Target.V4);
        assertThat(m.analysis().verdict(conv)).isEqualTo(Verdict.KPU_CPU);
        m.setTarget(Target.V3);
        Graph before = m.graph().copy();
        var fix = m.analysis().fixes(conv).get(0);
        assertThat(m.applyFix(fix)).isNull();
        assertThat(m.analysis().verdict(conv)).isEqualTo(Verdict.KPU);
        assertThat(m.isDirty()).isTrue();
        m.undo();
        assertThat(m.graph()).isEqualTo(before);
        m.redo();
        assertThat(m.analysis().verdict(conv)).isEqualTo(Verdict.KPU);
    }

    @Test
    void fix_all_on_the_needs_fixing_sample_is_one_undo_step_leaving_v3_clean() {
        EditorModel m = newModel();
        m.replace(SampleNetworks.briefNeedsFixingProject(), null);
        Graph original = m.graph().copy();
        assertThat(m.analysis().unsupportedCount()).isPositive();
        int n = m.fixAll();
        assertThat(n).isPositive();
        assertThat(m.analysis().report().convertsFor(Target.V3)).isTrue();
        assertThat(m.history().undoDepth()).isEqualTo(1);
        m.undo();
        assertThat(m.graph()).isEqualTo(original);
        m.redo();
        assertThat(m.analysis().report().convertsFor(Target.V3)).isTrue();
    }

    @Test
    void the_two_class_sample_has_every_conv_group_on_the_kpu_and_its_memory_is_shown() {
        EditorModel m = newModel();
        m.replace(SampleNetworks.briefTwoClassProject(), null);
        for (var l : m.graph().layers()) {
            if (l.params() instanceof Conv2D) {
                assertThat(m.analysis().verdict(l.id())).as(l.name()).isEqualTo(Verdict.KPU);
                assertThat(m.analysis().kpuGroupOf(l.id())).isNotNull();
            }
            if (l.params() instanceof Dense) {
                assertThat(m.analysis().verdict(l.id())).isNotEqualTo(Verdict.UNSUPPORTED);
            }
        }
        assertThat(m.analysis().memory().kpuPeakBytes()).isPositive();
        assertThat(m.analysis().parameters()).isPositive();
    }

    @Test
    void delete_and_move_are_single_undo_steps() {
        EditorModel m = newModel();
        m.replace(SampleNetworks.briefTwoClassProject(), null);
        Graph original = m.graph().copy();
        m.select(m.graph().ids().subList(1, 4));
        m.deleteSelection();
        assertThat(m.graph().size()).isEqualTo(original.size() - 3);
        m.undo();
        assertThat(m.graph()).isEqualTo(original);
        String id = m.graph().ids().get(0);
        m.move(java.util.Map.of(id, new Position(500, 500)));
        assertThat(m.graph().position(id)).isEqualTo(new Position(500, 500));
        m.undo();
        assertThat(m.graph()).isEqualTo(original);
    }
}
