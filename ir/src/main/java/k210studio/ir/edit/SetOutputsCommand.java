package k210studio.ir.edit;

import java.util.List;
import k210studio.ir.graph.Graph;

/** Sets the model's explicit output list (empty: the layers nobody consumes are the outputs). */
public final class SetOutputsCommand implements EditCommand {
    private final List<String> outputs;
    private List<String> before;

    public SetOutputsCommand(List<String> outputs) {
        this.outputs = List.copyOf(outputs);
    }

    @Override
    public void apply(Graph graph) {
        before = graph.explicitOutputs();
        graph.setOutputs(outputs);
    }

    @Override
    public void undo(Graph graph) {
        graph.setOutputs(before);
    }

    @Override
    public String description() {
        return "Set model outputs";
    }
}
