package k210studio.ir.edit;

import java.util.Objects;
import java.util.function.Function;
import k210studio.ir.graph.Graph;

/**
 * A command whose concrete steps are built from the graph the first time it is applied (for
 * example a rule fix that needs fresh layer ids: building it must not touch the graph that is
 * merely being checked). Redo re-applies the same built steps, so ids stay stable.
 */
public final class DeferredCommand implements EditCommand {
    private final String description;
    private final Function<Graph, EditCommand> builder;
    private EditCommand built;

    public DeferredCommand(String description, Function<Graph, EditCommand> builder) {
        this.description = Objects.requireNonNull(description);
        this.builder = Objects.requireNonNull(builder);
    }

    @Override
    public void apply(Graph graph) {
        if (built == null) {
            EditCommand c = builder.apply(graph);
            c.apply(graph);
            built = c;
        } else {
            built.apply(graph);
        }
    }

    @Override
    public void undo(Graph graph) {
        if (built == null) {
            throw new IllegalStateException("undo before apply: " + description);
        }
        built.undo(graph);
    }

    @Override
    public String description() {
        return description;
    }
}
