package k210studio.ir.edit;

import java.util.Map;
import java.util.Objects;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.tensor.Tensor;

/**
 * Replaces a layer's parameters and/or its name and/or its weights (same id, same edges).
 * Fields left null keep their current value. Undo puts the previous {@link Layer} back.
 */
public final class SetParamsCommand implements EditCommand {
    private final String id;
    private final LayerParams params;
    private final String name;
    private final Map<String, Tensor> weights;
    private final String description;
    private Layer before;

    public SetParamsCommand(String id, LayerParams params, String name, Map<String, Tensor> weights, String description) {
        this.id = Objects.requireNonNull(id, "id");
        this.params = params;
        this.name = name;
        this.weights = weights == null ? null : Map.copyOf(weights);
        this.description = description;
    }

    /** New parameters, same name and weights. */
    public static SetParamsCommand params(String id, LayerParams params) {
        return new SetParamsCommand(id, Objects.requireNonNull(params), null, null, null);
    }

    /** New parameters and weights (e.g. a kernel change that changes the weight shapes). */
    public static SetParamsCommand paramsAndWeights(String id, LayerParams params, Map<String, Tensor> weights) {
        return new SetParamsCommand(id, Objects.requireNonNull(params), null, Objects.requireNonNull(weights), null);
    }

    public static SetParamsCommand rename(String id, String newName) {
        return new SetParamsCommand(id, null, Objects.requireNonNull(newName), null, null);
    }

    public static SetParamsCommand weights(String id, Map<String, Tensor> weights) {
        return new SetParamsCommand(id, null, null, Objects.requireNonNull(weights), null);
    }

    @Override
    public void apply(Graph graph) {
        Layer old = graph.layer(id);
        Layer now = old;
        if (params != null) {
            now = now.withParams(params);
        }
        if (name != null) {
            now = now.withName(name);
        }
        if (weights != null) {
            now = now.withWeights(orderedLike(old.weights(), weights));
        }
        before = old;
        graph.replaceLayer(now);
    }

    // keep the old key order for keys that survive, so equal content gives equal layers
    private static Map<String, Tensor> orderedLike(Map<String, Tensor> old, Map<String, Tensor> fresh) {
        java.util.LinkedHashMap<String, Tensor> m = new java.util.LinkedHashMap<>();
        for (String k : old.keySet()) {
            if (fresh.containsKey(k)) {
                m.put(k, fresh.get(k));
            }
        }
        java.util.TreeMap<String, Tensor> rest = new java.util.TreeMap<>(fresh);
        rest.keySet().removeAll(m.keySet());
        m.putAll(rest);
        return m;
    }

    @Override
    public void undo(Graph graph) {
        graph.replaceLayer(before);
    }

    @Override
    public String description() {
        if (description != null) {
            return description;
        }
        String who = before != null ? before.name() : id;
        if (name != null && params == null && weights == null) {
            return "Rename " + who + " to " + name;
        }
        if (params == null && weights != null) {
            return "Set weights of " + who;
        }
        return "Change " + who;
    }
}
