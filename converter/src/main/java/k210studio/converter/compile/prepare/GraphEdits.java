package k210studio.converter.compile.prepare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.LayerParams;

/** Small graph edits and questions the preparation passes share. */
public final class GraphEdits {
    private GraphEdits() {
    }

    /** Removes a single-input layer, connecting its producer to each of its consumers on the same ports. */
    public static void bypass(Graph g, String id) {
        String producer = g.inputsOf(id).get(0);
        List<String> outs = new ArrayList<>(g.explicitOutputs());
        // every port of each consumer (x + x reads it twice), in ascending order so re-inserting restores them
        Map<String, List<Integer>> ports = new HashMap<>();
        for (String c : g.consumersOf(id)) {
            List<String> ins = g.inputsOf(c);
            for (int port = 0; port < ins.size(); port++) {
                if (ins.get(port).equals(id)) {
                    ports.computeIfAbsent(c, k -> new ArrayList<>()).add(port);
                }
            }
        }
        g.removeLayer(id);
        ports.forEach((c, ps) -> ps.forEach(port -> g.connect(producer, c, port)));
        if (outs.contains(id)) {
            outs.replaceAll(o -> o.equals(id) ? producer : o);
            g.setOutputs(outs);
        }
    }

    /** Whether a layer's output goes to exactly one consumer and is not a network output (so it may be fused away). */
    public static boolean feedsOnly(Graph g, String id) {
        return g.consumersOf(id).size() == 1 && !g.explicitOutputs().contains(id);
    }

    /** The element-wise function of an activation layer, or null if it is not one (softmax, PReLU, thresholds). */
    public static ActivationFn elementwise(LayerParams p) {
        ActivationFn fn = ActivationFn.ofLayer(p);
        return fn == null || fn.isLinear() ? null : fn;
    }

    /** The element-wise function of a single-input activation layer still in the graph, or null. */
    public static ActivationFn singleInputActivation(Graph g, k210studio.ir.graph.Layer act) {
        if (!g.contains(act.id()) || g.inputsOf(act.id()).size() != 1) {
            return null;
        }
        return elementwise(act.params());
    }

    /** A Conv2D or DepthwiseConv2D with a linear activation given this activation instead; null for other layers. */
    public static LayerParams withFusedActivation(LayerParams p, ActivationFn fn) {
        if (p instanceof k210studio.ir.layer.Conv2D c && c.activation().isLinear()) {
            return c.withActivation(fn);
        }
        if (p instanceof k210studio.ir.layer.DepthwiseConv2D d && d.activation().isLinear()) {
            return d.withActivation(fn);
        }
        return null;
    }
}
