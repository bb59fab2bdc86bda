package k210studio.app.layout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Position;

/**
 * Top-to-bottom layered layout for the canvas (a small Sugiyama): each layer goes to the row of
 * its longest path from an input, rows are ordered by a few barycenter sweeps to reduce edge
 * crossings, and each row is centred. Linear in the graph size per sweep, so a few hundred
 * layers lay out in milliseconds. Positions are the top-left corners of the node boxes.
 */
public final class LayeredLayout {
    /** Node box size and gaps in canvas units (the canvas draws nodes this size). */
    public static final double NODE_W = 226;
    public static final double NODE_H = 54;
    public static final double H_GAP = 48;
    public static final double V_GAP = 40;
    private static final int SWEEPS = 6;

    private LayeredLayout() {
    }

    public static Map<String, Position> layout(Graph g) {
        List<String> order;
        try {
            order = g.topologicalOrder();
        } catch (GraphException cycle) {
            order = g.ids();
        }
        Map<String, Integer> rank = new HashMap<>();
        Map<String, List<String>> producers = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (String id : order) {
            producers.put(id, g.inputsOf(id));
            consumers.put(id, new ArrayList<>());
        }
        for (String id : order) {
            for (String p : producers.get(id)) {
                consumers.get(p).add(id);
            }
        }
        int maxRank = 0;
        for (String id : order) {
            int r = 0;
            for (String p : producers.get(id)) {
                Integer pr = rank.get(p);
                if (pr != null) {
                    r = Math.max(r, pr + 1);
                }
            }
            rank.put(id, r);
            maxRank = Math.max(maxRank, r);
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i <= maxRank; i++) {
            rows.add(new ArrayList<>());
        }
        for (String id : order) {
            rows.get(rank.get(id)).add(id);
        }
        Map<String, Double> pos = new HashMap<>();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                pos.put(row.get(i), (double) i);
            }
        }
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            boolean down = sweep % 2 == 0;
            for (int k = 0; k < rows.size(); k++) {
                List<String> row = rows.get(down ? k : rows.size() - 1 - k);
                Map<String, List<String>> nbrs = down ? producers : consumers;
                Map<String, Double> bary = new HashMap<>();
                for (String id : row) {
                    double sum = 0;
                    int n = 0;
                    for (String o : nbrs.get(id)) {
                        sum += pos.get(o);
                        n++;
                    }
                    bary.put(id, n == 0 ? pos.get(id) : sum / n);
                }
                row.sort(Comparator.comparingDouble(bary::get));
                for (int i = 0; i < row.size(); i++) {
                    pos.put(row.get(i), (double) i);
                }
            }
        }
        Map<String, Position> out = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            double width = row.size() * NODE_W + (row.size() - 1) * H_GAP;
            double x0 = -width / 2;
            for (int i = 0; i < row.size(); i++) {
                out.put(row.get(i), new Position(x0 + i * (NODE_W + H_GAP), r * (NODE_H + V_GAP)));
            }
        }
        return out;
    }
}
