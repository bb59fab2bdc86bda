package k210studio.ir.edit;

import java.util.Objects;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Position;

/** Moves a layer on the canvas (a null position removes it). */
public final class MoveCommand implements EditCommand {
    private final String id;
    private final Position to;
    private Position before;

    public MoveCommand(String id, Position to) {
        this.id = Objects.requireNonNull(id);
        this.to = to;
    }

    @Override
    public void apply(Graph graph) {
        before = graph.position(id);
        graph.setPosition(id, to);
    }

    @Override
    public void undo(Graph graph) {
        graph.setPosition(id, before);
    }

    @Override
    public String description() {
        return "Move " + id;
    }
}
