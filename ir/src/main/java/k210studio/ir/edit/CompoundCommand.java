package k210studio.ir.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import k210studio.ir.graph.Graph;

/**
 * Several commands applied as one undo step (e.g. a rule fix that inserts a padding layer and
 * changes the conv). If one step fails, the steps already applied are undone and the failure
 * is rethrown, so the graph is left unchanged.
 */
public final class CompoundCommand implements EditCommand {
    private final String description;
    private final List<EditCommand> steps;

    public CompoundCommand(String description, List<? extends EditCommand> steps) {
        this.description = Objects.requireNonNull(description);
        this.steps = List.copyOf(steps);
    }

    public List<EditCommand> steps() {
        return steps;
    }

    @Override
    public void apply(Graph graph) {
        List<EditCommand> done = new ArrayList<>();
        try {
            for (EditCommand c : steps) {
                c.apply(graph);
                done.add(c);
            }
        } catch (RuntimeException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                done.get(i).undo(graph);
            }
            throw e;
        }
    }

    @Override
    public void undo(Graph graph) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            steps.get(i).undo(graph);
        }
    }

    @Override
    public String description() {
        return description;
    }
}
