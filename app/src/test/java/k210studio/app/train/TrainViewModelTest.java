package k210studio.app.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import k210studio.app.model.EditorModel;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Train window's logic without a window: a small design trains two epochs from its folder dataset on a
 * background thread, the epochs arrive in order, and the trained weights land in the editor as one undo step
 * that restores the old weights and labels.
 */
class TrainViewModelTest {
    @TempDir
    Path tmp;

    @Test
    void aDesignTrainsTwoEpochsAndLandsAsOneUndoableEdit() throws Exception {
        Path data = PhotoFolders.build(tmp.resolve("photos"), 8, 48);
        Graph g = new Graph("tiny");
        String x = g.add("input_1", new Input(TensorShape.hwc(32, 32, 3)));
        x = g.add("conv", new Conv2D(8, 3, 3, 2, 2, Padding.SAME, 1, 1, true, ActivationFn.RELU), x);
        x = g.add("gap", new GlobalAveragePooling2D(false), x);
        x = g.add("dense", new Dense(3, true, ActivationFn.SOFTMAX), x);
        EditorModel editor = new EditorModel(new Graph("empty"));
        editor.replace(new Project(k210studio.converter.train.WeightInit.complete(g, 3), ProjectSettings.defaults("tiny")), null);
        Graph before = editor.graph().copy();

        TrainViewModel vm = new TrainViewModel(editor, Runnable::run);
        assertThat(vm.start()).contains("dataset");
        assertThat(vm.chooseDataset(data)).isNull();
        assertThat(vm.summaryProperty().get()).isEqualTo("3 classes, 24 images: cat 8, hopper 8, people 8");
        vm.sourceProperty().set(TrainViewModel.Source.DESIGN);
        vm.epochsProperty().set(2);
        vm.learningRateProperty().set(0.01);
        vm.k210EachEpochProperty().set(false);
        assertThat(vm.start()).isNull();
        long until = System.currentTimeMillis() + 60_000;
        while (vm.runningProperty().get() && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.history()).extracting(e -> e.epoch()).containsExactly(1, 2);
        assertThat(vm.resultProperty().get()).isNotNull();
        assertThat(editor.history().undoDepth()).isEqualTo(1);
        assertThat(editor.settings().labels()).containsExactlyElementsOf(PhotoFolders.CLASSES);
        assertThat(editor.graph().layer(before.layerNamed("dense").id()).weight("kernel"))
                .isNotNull().isNotEqualTo(WeightsOf.kernel(before, "dense"));
        assertThat(WeightsOf.kernel(before, "dense")).isNotNull();
        assertThat(editor.graph().ids()).isEqualTo(before.ids());

        editor.undo();
        assertThat(editor.graph()).isEqualTo(before);
        assertThat(editor.settings().labels()).isEmpty();
    }

    /** Reads a layer's kernel by name. */
    static final class WeightsOf {
        static k210studio.ir.tensor.Tensor kernel(Graph g, String name) {
            return g.layerNamed(name).weight("kernel");
        }
    }
}
