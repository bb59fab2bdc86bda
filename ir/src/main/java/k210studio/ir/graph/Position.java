package k210studio.ir.graph;

/** Where a layer sits on the editor canvas (graph units). Kept in the IR so that it is saved and undone with the graph. */
public record Position(double x, double y) {
}
