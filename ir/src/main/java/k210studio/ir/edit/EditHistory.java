package k210studio.ir.edit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import k210studio.ir.graph.Graph;

/**
 * The undo/redo stack of one open {@link Graph}. Every editor change goes through
 * {@link #execute}; a new command clears the redo stack. A "saved" marker remembers which state
 * was last saved so that {@link #isDirty()} tells whether the title bar needs its asterisk
 * (undoing back to the saved state makes the document clean again).
 *
 * <p>Not thread-safe: use it from one thread (the UI thread).
 */
public final class EditHistory {

    /** Told after every execute, undo, redo, clear and save-marker change. */
    @FunctionalInterface
    public interface Listener {
        void historyChanged(EditHistory history);
    }

    private final Graph graph;
    private final int limit;
    private final Deque<EditCommand> undo = new ArrayDeque<>();
    private final Deque<EditCommand> redo = new ArrayDeque<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Undo depth of the saved state; −1 when the saved state can no longer be reached. */
    private int savedDepth = 0;

    public EditHistory(Graph graph) {
        this(graph, 1000);
    }

    /** @param limit most undo steps kept (older ones are forgotten) */
    public EditHistory(Graph graph, int limit) {
        this.graph = Objects.requireNonNull(graph);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be ≥ 1");
        }
        this.limit = limit;
    }

    public Graph graph() {
        return graph;
    }

    /**
     * Applies the command and makes it the next one to undo.
     *
     * @throws k210studio.ir.graph.GraphException if the command cannot be applied (the graph and history are unchanged)
     */
    public void execute(EditCommand command) {
        command.apply(graph);
        if (savedDepth > undo.size()) {
            savedDepth = -1; // the saved state was on the redo stack, which is now gone
        }
        redo.clear();
        undo.push(command);
        if (undo.size() > limit) {
            undo.removeLast();
            if (savedDepth >= 0) {
                savedDepth--;
            }
        }
        fire();
    }

    public boolean canUndo() {
        return !undo.isEmpty();
    }

    public boolean canRedo() {
        return !redo.isEmpty();
    }

    /** Reverts the last command; returns it, or null if there is nothing to undo. */
    public EditCommand undo() {
        if (undo.isEmpty()) {
            return null;
        }
        EditCommand c = undo.pop();
        c.undo(graph);
        redo.push(c);
        fire();
        return c;
    }

    /** Re-applies the last undone command; returns it, or null if there is nothing to redo. */
    public EditCommand redo() {
        if (redo.isEmpty()) {
            return null;
        }
        EditCommand c = redo.pop();
        c.apply(graph);
        undo.push(c);
        fire();
        return c;
    }

    /** "Undo Remove conv2d_1", or null. */
    public String undoDescription() {
        return undo.isEmpty() ? null : undo.peek().description();
    }

    public String redoDescription() {
        return redo.isEmpty() ? null : redo.peek().description();
    }

    public int undoDepth() {
        return undo.size();
    }

    public int redoDepth() {
        return redo.size();
    }

    /** Marks the current state as saved. */
    public void markSaved() {
        savedDepth = undo.size();
        fire();
    }

    /** True when the graph differs from the last saved state (as far as the history knows). */
    public boolean isDirty() {
        return savedDepth != undo.size();
    }

    /** Forgets every undo and redo step (e.g. after loading another file); the current state counts as saved. */
    public void clear() {
        undo.clear();
        redo.clear();
        savedDepth = 0;
        fire();
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    private void fire() {
        for (Listener l : listeners) {
            l.historyChanged(this);
        }
    }
}
