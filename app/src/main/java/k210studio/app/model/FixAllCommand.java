package k210studio.app.model;

import java.util.ArrayList;
import java.util.List;
import k210studio.ir.edit.EditCommand;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.rules.Fix;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.Target;

/**
 * "Fix all" as one undoable step: repeatedly asks the checker for the fixes on the current graph
 * and applies the first one, until none is offered (or a fix fails or repeats). Redo replays the
 * same applied commands, so layer ids stay stable.
 */
final class FixAllCommand implements EditCommand {
    private static final int MAX_FIXES = 2000;
    private final Target target;
    private final MemoryBudget budget;
    private final List<EditCommand> applied = new ArrayList<>();
    private boolean built;

    FixAllCommand(Target target, MemoryBudget budget) {
        this.target = target;
        this.budget = budget;
    }

    int applied() {
        return applied.size();
    }

    @Override
    public void apply(Graph graph) {
        if (built) {
            for (EditCommand c : applied) {
                c.apply(graph);
            }
            return;
        }
        built = true;
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < MAX_FIXES; i++) {
            List<Fix> fixes = Analysis.of(graph, target, budget).allFixes();
            Fix next = null;
            for (Fix f : fixes) {
                String key = f.layerId() + "|" + f.rule() + "|" + f.title();
                if (!seen.contains(key)) {
                    next = f;
                    break;
                }
            }
            if (next == null) {
                return;
            }
            seen.add(next.layerId() + "|" + next.rule() + "|" + next.title());
            try {
                next.command().apply(graph);
                applied.add(next.command());
            } catch (GraphException | IllegalArgumentException e) {
                // a fix that cannot apply is skipped; the others still run
            }
        }
    }

    @Override
    public void undo(Graph graph) {
        for (int i = applied.size() - 1; i >= 0; i--) {
            applied.get(i).undo(graph);
        }
    }

    @Override
    public String description() {
        return "Fix all for " + target.label();
    }
}
