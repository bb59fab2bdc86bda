package k210studio.ir.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/** The undo stack's bookkeeping (redo cleared, dirty marker, listener) and each command's exact inverse. */
class EditHistoryTest {

    private static Graph chain() {
        Graph g = new Graph("m");
        String in = g.add("input_1", new Input(TensorShape.hwc(8, 8, 3)));
        String c = g.add("conv2d", Conv2D.of(4, 3, 1, Padding.SAME), in);
        g.add("re_lu", ReLU.plain(), c);
        return g;
    }

    @Test
    void newCommandClearsRedoAndDirtyMarkerFollowsUndo() {
        Graph g = chain();
        EditHistory h = new EditHistory(g);
        List<String> events = new ArrayList<>();
        h.addListener(x -> events.add(x.isDirty() ? "dirty" : "clean"));
        assertThat(h.isDirty()).isFalse();
        String conv = g.layerNamed("conv2d").id();
        h.execute(new MoveCommand(conv, new Position(5, 5)));
        assertThat(h.isDirty()).isTrue();
        h.markSaved();
        assertThat(h.isDirty()).isFalse();
        h.execute(SetParamsCommand.rename(conv, "stem"));
        assertThat(h.undoDescription()).isEqualTo("Rename conv2d to stem");
        h.undo();
        assertThat(h.isDirty()).as("back at the saved state").isFalse();
        assertThat(h.canRedo()).isTrue();
        h.undo();
        assertThat(h.isDirty()).isTrue();
        h.execute(SetParamsCommand.rename(conv, "other"));
        assertThat(h.canRedo()).as("a new command clears redo").isFalse();
        assertThat(h.isDirty()).as("the saved state is no longer reachable").isTrue();
        while (h.canUndo()) {
            h.undo();
        }
        assertThat(h.isDirty()).isTrue();
        assertThat(events).containsExactly("dirty", "clean", "dirty", "clean", "dirty", "dirty", "dirty");
    }

    @Test
    void refusedCommandLeavesGraphAndHistoryUnchanged() {
        Graph g = chain();
        Graph before = g.copy();
        EditHistory h = new EditHistory(g);
        String in = g.layerNamed("input_1").id();
        String relu = g.layerNamed("re_lu").id();
        assertThatThrownBy(() -> h.execute(new ConnectCommand(relu, in))).isInstanceOf(GraphException.class);
        // a compound whose second step fails rolls back its first step
        Layer extra = new Layer(g.newId(), "dropout", new Dropout(0.2f));
        CompoundCommand bad = new CompoundCommand("bad", List.of(new AddLayerCommand(extra, List.of(relu), null),
                new ConnectCommand(relu, in)));
        assertThatThrownBy(() -> h.execute(bad)).isInstanceOf(GraphException.class).hasMessageContaining("cycle");
        assertThat(g).isEqualTo(before);
        assertThat(h.canUndo()).isFalse();
    }

    @Test
    void insertBetweenTakesThePortAndUndoRestoresTheEdge() {
        Graph g = new Graph("m");
        String a = g.add("input_1", new Input(TensorShape.hwc(8, 8, 3)));
        String b = g.add("input_2", new Input(TensorShape.hwc(8, 8, 3)));
        String cat = g.add("concatenate", Concatenate.channels(), a, b);
        Graph original = g.copy();
        EditHistory h = new EditHistory(g);
        InsertLayerBetweenCommand ins = InsertLayerBetweenCommand.create(g, a, cat, "zero_padding2d", ZeroPadding2D.symmetric(0));
        h.execute(ins);
        assertThat(g.inputsOf(cat)).containsExactly(ins.layer().id(), b);
        assertThat(g.inputsOf(ins.layer().id())).containsExactly(a);
        assertThat(g.orderIndex(ins.layer().id())).isEqualTo(2);
        h.undo();
        assertThat(g).isEqualTo(original);
    }

    @Test
    void bridgingRemoveKeepsTheChainAndUndoRestoresIt() {
        Graph g = chain();
        String conv = g.layerNamed("conv2d").id();
        String in = g.layerNamed("input_1").id();
        String relu = g.layerNamed("re_lu").id();
        g.setOutputs(List.of(conv));
        Graph original = g.copy();
        EditHistory h = new EditHistory(g);
        h.execute(new RemoveLayerCommand(conv, true));
        assertThat(g.inputsOf(relu)).containsExactly(in);
        assertThat(g.explicitOutputs()).containsExactly(in);
        h.undo();
        assertThat(g).isEqualTo(original);
        h.redo();
        assertThat(g.inputsOf(relu)).containsExactly(in);
    }

    @Test
    void setParamsChangesWeightsAndUndoRestoresTheOldLayer() {
        Graph g = chain();
        String conv = g.layerNamed("conv2d").id();
        Graph original = g.copy();
        EditHistory h = new EditHistory(g);
        h.execute(SetParamsCommand.paramsAndWeights(conv, Conv2D.of(2, 1, 1, Padding.VALID),
                Map.of("kernel", Tensor.zeros(1, 1, 3, 2))));
        assertThat(g.layer(conv).params()).isEqualTo(Conv2D.of(2, 1, 1, Padding.VALID));
        assertThat(g.layer(conv).weight("kernel").shape()).containsExactly(1, 1, 3, 2);
        h.undo();
        assertThat(g).isEqualTo(original);
    }

    @Test
    void historyLimitForgetsOldestSteps() {
        Graph g = chain();
        EditHistory h = new EditHistory(g, 3);
        String conv = g.layerNamed("conv2d").id();
        for (int i = 0; i < 5; i++) {
            h.execute(new MoveCommand(conv, new Position(i, i)));
        }
        assertThat(h.undoDepth()).isEqualTo(3);
        while (h.canUndo()) {
            h.undo();
        }
        assertThat(g.position(conv)).isEqualTo(new Position(1, 1));
        assertThat(h.isDirty()).as("the saved (initial) state fell off the stack").isTrue();
    }
}
