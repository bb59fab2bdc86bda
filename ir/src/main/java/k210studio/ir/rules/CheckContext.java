package k210studio.ir.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.TensorShape;

/** What every rule needs about a graph, computed once per check: order, edges both ways, shapes. */
final class CheckContext {
    final Graph graph;
    final List<String> order;
    final boolean acyclic;
    final Map<String, List<String>> inputs = new HashMap<>();
    final Map<String, List<String>> consumers = new HashMap<>();
    final Set<String> outputs;
    final ShapeResult shapes;

    CheckContext(Graph graph) {
        this.graph = graph;
        List<String> o;
        boolean ok = true;
        try {
            o = graph.topologicalOrder();
        } catch (GraphException e) {
            o = graph.ids();
            ok = false;
        }
        this.order = o;
        this.acyclic = ok;
        for (String id : order) {
            inputs.put(id, graph.inputsOf(id));
            consumers.put(id, new ArrayList<>());
        }
        for (String id : order) {
            for (String p : inputs.get(id)) {
                List<String> cs = consumers.get(p);
                if (!cs.contains(id)) {
                    cs.add(id);
                }
            }
        }
        this.outputs = new HashSet<>(graph.outputIds());
        this.shapes = ShapeInference.infer(graph);
    }

    Layer layer(String id) {
        return graph.layer(id);
    }

    LayerParams params(String id) {
        return graph.layer(id).params();
    }

    TensorShape shape(String id) {
        return shapes.shape(id);
    }

    /** The input shape of a single-input layer, or null. */
    TensorShape inputShape(String id) {
        List<String> ins = inputs.get(id);
        return ins == null || ins.isEmpty() ? null : shapes.shape(ins.get(0));
    }

    /** The one layer that reads {@code id}'s output, or null when there are none, several, or it is a model output. */
    String soleConsumer(String id) {
        List<String> cs = consumers.get(id);
        if (cs == null || cs.size() != 1 || outputs.contains(id)) {
            return null;
        }
        String c = cs.get(0);
        return inputs.get(c).size() == 1 ? c : null;
    }

    String producer(String id) {
        List<String> ins = inputs.get(id);
        return ins == null || ins.size() != 1 ? null : ins.get(0);
    }
}
