package k210studio.ir.samples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Position;

/**
 * Places layers top to bottom on the canvas: each layer one row below its deepest producer, layers
 * that share a row side by side in topological order. A chain becomes one column.
 */
public final class TopDownLayout {
    /** Vertical distance between rows, in canvas units. */
    public static final double ROW = 90;
    /** Horizontal distance between layers in one row. */
    public static final double COLUMN = 220;

    private TopDownLayout() {
    }

    /** Sets a position on every layer of the graph. */
    public static void apply(Graph g) {
        List<String> order = g.topologicalOrder();
        Map<String, Integer> depth = new HashMap<>();
        Map<Integer, Integer> used = new HashMap<>();
        for (String id : order) {
            int d = 0;
            for (String p : g.inputsOf(id)) {
                d = Math.max(d, depth.get(p) + 1);
            }
            depth.put(id, d);
            int col = used.merge(d, 1, Integer::sum) - 1;
            g.setPosition(id, new Position(col * COLUMN, d * ROW));
        }
    }
}
