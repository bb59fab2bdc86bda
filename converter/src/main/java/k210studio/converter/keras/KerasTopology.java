package k210studio.converter.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import k210studio.converter.keras.KerasModelConfig.LayerDecl;
import k210studio.converter.keras.KerasModelConfig.ModelDecl;
import k210studio.converter.keras.KerasModelConfig.TensorRef;

/**
 * Flattens a parsed model (Sequential or Functional, with nested models at any depth) into one
 * list of plain layers joined by name, as the IR graph wants it. Inputs of a nested model are
 * wired to whatever feeds the call of that model, its outputs to whatever consumes the call.
 * A layer called several times (a shared layer) becomes one layer per call.
 */
final class KerasTopology {

    /**
     * One layer of the flattened network.
     *
     * @param name     unique name in the flat network (the Keras name unless two nested models clash)
     * @param decl     its declaration
     * @param inputs   names of the flat layers that feed it, in input order
     * @param nestPath the nested models it sits in, outermost first (empty for a top-level layer)
     * @param v3Path   where a Keras 3 weights file keeps its variables (".../vars" below this path)
     */
    record FlatLayer(String name, LayerDecl decl, List<String> inputs, List<LayerDecl> nestPath, String v3Path) {
    }

    /** The flattened network: layers in an order where producers come first, then inputs and outputs by flat name. */
    record FlatModel(List<FlatLayer> layers, List<String> inputs, List<String> outputs) {
    }

    private final boolean keras3;
    private final List<FlatLayer> layers = new ArrayList<>();
    private final Set<String> usedNames = new HashSet<>();
    private int work;

    private KerasTopology(boolean keras3) {
        this.keras3 = keras3;
    }

    /**
     * @param keras3 true for a Keras 3 config (decides how node indices of nested models count)
     */
    static FlatModel flatten(ModelDecl root, boolean keras3) throws KerasImportException {
        KerasTopology t = new KerasTopology(keras3);
        List<String> inputs = new ArrayList<>();
        List<String> outputs = t.expand(root, null, inputs, List.of(), "");
        if (inputs.isEmpty()) {
            throw new KerasImportException("model '" + root.name() + "' has no input layer");
        }
        return new FlatModel(List.copyOf(t.layers), List.copyOf(inputs), List.copyOf(outputs));
    }

    /**
     * Adds the layers of one model.
     *
     * @param feeds      flat names feeding the model's inputs (a nested call), or null for the top-level model
     * @param topInputs  collects the flat Input layers (top level only)
     * @param nestPath   enclosing nested models
     * @param pathPrefix Keras 3 weight path of this model ("" at the top)
     * @return the flat names of the model's outputs
     */
    private List<String> expand(ModelDecl m, List<String> feeds, List<String> topInputs, List<LayerDecl> nestPath,
                                String pathPrefix) throws KerasImportException {
        Map<LayerDecl, String> v3Paths = v3Paths(m, pathPrefix);
        return m.sequential()
                ? expandSequential(m, feeds, topInputs, nestPath, v3Paths)
                : expandFunctional(m, feeds, topInputs, nestPath, v3Paths);
    }

    private List<String> expandSequential(ModelDecl m, List<String> feeds, List<String> topInputs, List<LayerDecl> nestPath,
                                          Map<LayerDecl, String> v3Paths) throws KerasImportException {
        List<LayerDecl> decls = m.layers();
        if (decls.isEmpty()) {
            throw new KerasImportException("Sequential model '" + m.name() + "' has no layers");
        }
        int start = 0;
        String prev;
        if (feeds == null) {
            LayerDecl first = decls.get(0);
            LayerDecl input;
            if (first.isInput()) {
                input = first;
                start = 1;
            } else {
                JsonNode shape = declaredInputShape(first, 0);
                if (shape == null && m.config().isObject()) {
                    shape = m.config().get("build_input_shape");
                }
                if (shape == null || !shape.isArray()) {
                    throw new KerasImportException("Sequential model '" + m.name() + "' does not say its input shape (its first layer '"
                            + first.name() + "' has no batch_input_shape); build the model with an Input or input_shape before model.save()");
                }
                ObjectNode cfg = JsonNodeFactory.instance.objectNode();
                cfg.set("batch_input_shape", shape);
                cfg.put("name", first.name() + "_input");
                input = new LayerDecl("InputLayer", first.name() + "_input", cfg, List.of(), true, null);
            }
            prev = add(input, List.of(), nestPath, v3Paths.getOrDefault(input, ""), input.name(), "");
            topInputs.add(prev);
        } else {
            if (feeds.size() != 1) {
                throw new KerasImportException("Sequential model '" + m.name() + "' is called with " + feeds.size() + " inputs; it takes one");
            }
            prev = feeds.get(0);
            if (decls.get(0).isInput()) {
                start = 1;
            }
        }
        for (int i = start; i < decls.size(); i++) {
            LayerDecl d = decls.get(i);
            if (d.isInput()) {
                throw new KerasImportException("Sequential model '" + m.name() + "' has an InputLayer ('" + d.name() + "') in the middle");
            }
            if (d.nested() != null) {
                List<String> outs = expand(d.nested(), List.of(prev), topInputs, append(nestPath, d), v3Paths.getOrDefault(d, ""));
                if (outs.size() != 1) {
                    throw new KerasImportException("nested model '" + d.name() + "' in Sequential model '" + m.name() + "' has "
                            + outs.size() + " outputs; a Sequential step must have one");
                }
                prev = outs.get(0);
            } else {
                prev = add(d, List.of(prev), nestPath, v3Paths.getOrDefault(d, ""), d.name(), m.name());
            }
        }
        return List.of(prev);
    }

    private List<String> expandFunctional(ModelDecl m, List<String> feeds, List<String> topInputs, List<LayerDecl> nestPath,
                                          Map<LayerDecl, String> v3Paths) throws KerasImportException {
        Map<String, LayerDecl> byName = new LinkedHashMap<>();
        for (LayerDecl d : m.layers()) {
            if (byName.put(d.name(), d) != null) {
                throw new KerasImportException("model '" + m.name() + "' has two layers named '" + d.name() + "'");
            }
        }
        Map<String, Map<Integer, List<String>>> produced = new HashMap<>();
        // the model inputs first, in the model's input order
        if (feeds != null && feeds.size() != m.inputs().size()) {
            throw new KerasImportException("nested model '" + m.name() + "' takes " + m.inputs().size() + " input(s) but is called with " + feeds.size());
        }
        for (int i = 0; i < m.inputs().size(); i++) {
            TensorRef r = m.inputs().get(i);
            LayerDecl d = byName.get(r.layer());
            if (d == null || !d.isInput()) {
                throw new KerasImportException("model '" + m.name() + "' lists '" + r.layer() + "' as an input, but it is "
                        + (d == null ? "not one of its layers" : "a " + d.className() + ", not an InputLayer"));
            }
            String flat;
            if (feeds == null) {
                flat = add(d, List.of(), nestPath, v3Paths.getOrDefault(d, ""), d.name(), "");
                topInputs.add(flat);
            } else {
                flat = feeds.get(i);
            }
            produced.computeIfAbsent(d.name(), k -> new HashMap<>()).put(0, List.of(flat));
        }
        // then every call of every layer, as soon as all its inputs exist
        List<LayerDecl> pendingDecl = new ArrayList<>();
        List<Integer> pendingNode = new ArrayList<>();
        for (LayerDecl d : m.layers()) {
            if (d.isInput()) {
                continue;
            }
            for (int k = 0; k < d.inboundNodes().size(); k++) {
                pendingDecl.add(d);
                pendingNode.add(k);
            }
        }
        boolean progress = true;
        while (!pendingDecl.isEmpty() && progress) {
            progress = false;
            for (int i = 0; i < pendingDecl.size(); i++) {
                LayerDecl d = pendingDecl.get(i);
                int k = pendingNode.get(i);
                List<String> ins = resolveAll(d.inboundNodes().get(k), byName, produced, m, d);
                if (ins == null) {
                    continue;
                }
                List<String> outs;
                if (d.nested() != null) {
                    outs = expand(d.nested(), ins, topInputs, append(nestPath, d), v3Paths.getOrDefault(d, ""));
                } else {
                    String base = k == 0 ? d.name() : d.name() + "_" + k;
                    outs = List.of(add(d, ins, nestPath, v3Paths.getOrDefault(d, ""), base, m.name()));
                }
                produced.computeIfAbsent(d.name(), x -> new HashMap<>()).put(k, outs);
                pendingDecl.remove(i);
                pendingNode.remove(i);
                i--;
                progress = true;
                if (++work > 1_000_000) {
                    throw new KerasImportException("the model configuration is too large to resolve; the file is corrupt");
                }
            }
        }
        if (!pendingDecl.isEmpty()) {
            LayerDecl d = pendingDecl.get(0);
            throw new KerasImportException("layer '" + d.name() + "' (" + d.className() + ") of model '" + m.name()
                    + "' takes an input that no layer produces (" + d.inboundNodes().get(pendingNode.get(0))
                    + "); the configuration is inconsistent or has a cycle");
        }
        List<String> outs = new ArrayList<>();
        for (TensorRef r : m.outputs()) {
            String o = resolve(r, byName, produced, m, null);
            if (o == null) {
                throw new KerasImportException("model '" + m.name() + "' lists output " + r.layer() + "[" + r.node() + "][" + r.tensor()
                        + "], which no layer call produces");
            }
            outs.add(o);
        }
        return outs;
    }

    /** The flat names of all refs, or null while one of them is not produced yet. */
    private List<String> resolveAll(List<TensorRef> refs, Map<String, LayerDecl> byName, Map<String, Map<Integer, List<String>>> produced,
                                    ModelDecl m, LayerDecl consumer) throws KerasImportException {
        List<String> out = new ArrayList<>(refs.size());
        for (TensorRef r : refs) {
            String s = resolve(r, byName, produced, m, consumer);
            if (s == null) {
                return null;
            }
            out.add(s);
        }
        return out;
    }

    private String resolve(TensorRef r, Map<String, LayerDecl> byName, Map<String, Map<Integer, List<String>>> produced,
                           ModelDecl m, LayerDecl consumer) throws KerasImportException {
        LayerDecl p = byName.get(r.layer());
        if (p == null) {
            throw new KerasImportException((consumer == null ? "model '" + m.name() + "'" : "layer '" + consumer.name() + "' ("
                    + consumer.className() + ")") + " refers to a layer '" + r.layer() + "' that model '" + m.name() + "' does not have");
        }
        Map<Integer, List<String>> calls = produced.get(p.name());
        if (calls == null) {
            return null;
        }
        int node = r.node();
        int count = p.isInput() ? 1 : p.inboundNodes().size();
        if (p.nested() != null && nestedNodesStartAtOne(p)) {
            // a nested model's node 0 is the one that built it; calls in the outer model count from 1
            node = (node - 1 >= 0 && node - 1 < count) ? node - 1 : node;
        }
        if (node < 0 || node >= count) {
            throw new KerasImportException("a reference to " + r.layer() + "[" + r.node() + "] points at a call of '" + r.layer()
                    + "' that does not exist (it is called " + count + " time(s))");
        }
        List<String> outs = calls.get(node);
        if (outs == null) {
            return null;
        }
        if (r.tensor() < 0 || r.tensor() >= outs.size()) {
            throw new KerasImportException("a reference to output " + r.tensor() + " of '" + r.layer() + "' does not exist (it has "
                    + outs.size() + " output(s))");
        }
        return outs.get(r.tensor());
    }

    private boolean nestedNodesStartAtOne(LayerDecl p) {
        // Keras 2 renumbers the calls of any nested model from 1; Keras 3 does so for Functional models only
        return !keras3 || !p.nested().sequential();
    }

    private String add(LayerDecl d, List<String> inputs, List<LayerDecl> nestPath, String v3Path, String base, String modelName) {
        String name = base;
        if (usedNames.contains(name) && !modelName.isEmpty()) {
            name = modelName + "_" + base;
        }
        if (usedNames.contains(name)) {
            int i = 1;
            while (usedNames.contains(name + "_" + i)) {
                i++;
            }
            name = name + "_" + i;
        }
        usedNames.add(name);
        layers.add(new FlatLayer(name, d, List.copyOf(inputs), List.copyOf(nestPath), v3Path));
        return name;
    }

    private static List<LayerDecl> append(List<LayerDecl> path, LayerDecl d) {
        List<LayerDecl> out = new ArrayList<>(path);
        out.add(d);
        return out;
    }

    /** The input batch shape a layer declares, looking into a nested model when the layer is one (its input or first layer). */
    private static JsonNode declaredInputShape(LayerDecl d, int depth) {
        JsonNode own = batchShapeOf(d.config());
        if (own != null || d.nested() == null || depth > 32) {
            return own;
        }
        ModelDecl m = d.nested();
        if (!m.sequential() && !m.inputs().isEmpty()) {
            for (LayerDecl inner : m.layers()) {
                if (inner.name().equals(m.inputs().get(0).layer())) {
                    return batchShapeOf(inner.config());
                }
            }
            return null;
        }
        if (!m.layers().isEmpty()) {
            return declaredInputShape(m.layers().get(0), depth + 1);
        }
        JsonNode build = m.config().isObject() ? m.config().get("build_input_shape") : null;
        return build != null && build.isArray() ? build : null;
    }

    /** The batch shape a layer declares for the model input (Keras 2 batch_input_shape, Keras 3 batch_shape). */
    static JsonNode batchShapeOf(JsonNode config) {
        if (config == null || !config.isObject()) {
            return null;
        }
        for (String k : new String[] {"batch_input_shape", "batch_shape"}) {
            JsonNode n = config.get(k);
            if (n != null && n.isArray()) {
                return n;
            }
        }
        return null;
    }

    /**
     * Where Keras 3 ({@code saving_lib}) keeps each layer's variables: {@code <model path>/layers/<snake_case class>[_n]},
     * numbered per class in the order of {@code model.layers} (a Sequential leaves its InputLayer out of that list).
     */
    private static Map<LayerDecl, String> v3Paths(ModelDecl m, String prefix) {
        Map<LayerDecl, String> out = new HashMap<>();
        Map<String, Integer> used = new HashMap<>();
        for (LayerDecl d : m.layers()) {
            if (m.sequential() && d.isInput()) {
                continue;
            }
            String snake = snakeCase(d.className());
            Integer n = used.get(snake);
            String name;
            if (n == null) {
                used.put(snake, 0);
                name = snake;
            } else {
                used.put(snake, n + 1);
                name = snake + "_" + (n + 1);
            }
            out.put(d, (prefix.isEmpty() ? "" : prefix + "/") + "layers/" + name);
        }
        return out;
    }

    /** Keras' {@code naming.to_snake_case}: "Conv2D" → "conv2d", "DepthwiseConv2D" → "depthwise_conv2d", "ReLU" → "re_lu". */
    static String snakeCase(String className) {
        String s = className.replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(Locale.ROOT);
    }
}
