package k210studio.app.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import k210studio.app.layout.LayeredLayout;
import k210studio.ir.edit.EditCommand;
import k210studio.ir.edit.MoveCommand;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Position;

/**
 * Runs a command (a rule fix that inserts layers) and, if that left layer boxes on top of each
 * other, lays the network out again, all as one undo step. Undo puts every layer back where it was.
 */
final class LayoutAfterCommand implements EditCommand {
    private final EditCommand inner;
    private final List<MoveCommand> moves = new ArrayList<>();
    private boolean built;

    LayoutAfterCommand(EditCommand inner) {
        this.inner = inner;
    }

    @Override
    public void apply(Graph graph) {
        inner.apply(graph);
        if (!built) {
            built = true;
            if (overlaps(graph)) {
                Map<String, Position> pos = LayeredLayout.layout(graph);
                pos.forEach((id, p) -> {
                    if (!p.equals(graph.position(id))) {
                        moves.add(new MoveCommand(id, p));
                    }
                });
            }
        }
        for (MoveCommand m : moves) {
            m.apply(graph);
        }
    }

    @Override
    public void undo(Graph graph) {
        for (int i = moves.size() - 1; i >= 0; i--) {
            moves.get(i).undo(graph);
        }
        inner.undo(graph);
    }

    @Override
    public String description() {
        return inner.description();
    }

    /** True when a layer has no position or two layer boxes overlap. */
    static boolean overlaps(Graph g) {
        List<Position> ps = new ArrayList<>();
        for (String id : g.ids()) {
            Position p = g.position(id);
            if (p == null) {
                return true;
            }
            ps.add(p);
        }
        for (int i = 0; i < ps.size(); i++) {
            for (int j = i + 1; j < ps.size(); j++) {
                Position a = ps.get(i);
                Position b = ps.get(j);
                if (Math.abs(a.x() - b.x()) < LayeredLayout.NODE_W && Math.abs(a.y() - b.y()) < LayeredLayout.NODE_H) {
                    return true;
                }
            }
        }
        return false;
    }
}
