package k210studio.ir.edit;

import k210studio.ir.graph.Graph;

/**
 * One undoable change of a {@link Graph}. {@link #apply} and {@link #undo} are called
 * alternately by an {@link EditHistory}, starting with {@code apply}: after {@code undo} the
 * graph equals (in the sense of {@link Graph#equals}) what it was before {@code apply}, and
 * applying again (redo) gives the same result as the first time.
 *
 * <p>A command that cannot be applied throws {@link k210studio.ir.graph.GraphException} with
 * a message for the user and leaves the graph unchanged.
 */
public interface EditCommand {

    /** Performs the change. */
    void apply(Graph graph);

    /** Reverts the change made by the last {@link #apply}. */
    void undo(Graph graph);

    /** Short text for the Undo/Redo menu items, e.g. "Remove conv2d_1". */
    String description();
}
