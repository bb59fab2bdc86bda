package k210studio.converter.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The architecture part of a Keras file ({@code model_config} of a Keras 2 .h5, {@code config.json}
 * of a Keras 3 .keras) parsed into declarations, before nested models are flattened.
 * Reads the Keras 2.2 and 2.x/tf.keras layouts ({@code inbound_nodes} as lists of
 * {@code [layer, node, tensor, kwargs]}) and the Keras 3 layout ({@code inbound_nodes} as
 * {@code {"args": [...], "kwargs": {...}}} holding {@code __keras_tensor__} entries with a {@code keras_history}).
 */
final class KerasModelConfig {
    private static final Set<String> MODEL_CLASSES = Set.of("Sequential", "Functional", "Model");
    /** Guards against configs that nest models without end. */
    private static final int MAX_NESTING = 32;

    private KerasModelConfig() {
    }

    /** A reference to one output tensor of one call ("node") of a layer. */
    record TensorRef(String layer, int node, int tensor) {
    }

    /**
     * One layer as declared in a model config.
     *
     * @param className    the Keras class ("Conv2D", ...)
     * @param name         the layer's name
     * @param config       the layer's {@code config} object
     * @param inboundNodes one entry per call of the layer, each the tensors fed to that call, in order
     * @param trainable    the layer's trainable flag (decides the order of weights of nested models in Keras 2 files)
     * @param nested       the model declaration when this layer is itself a model, else null
     */
    record LayerDecl(String className, String name, JsonNode config, List<List<TensorRef>> inboundNodes,
                     boolean trainable, ModelDecl nested) {
        boolean isInput() {
            return className.equals("InputLayer");
        }
    }

    /**
     * A Sequential or Functional model.
     *
     * @param sequential true for Sequential (layers form a chain)
     * @param inputs     Functional: the model inputs in order
     * @param outputs    Functional: the model outputs in order
     */
    record ModelDecl(String className, String name, boolean sequential, boolean trainable, List<LayerDecl> layers,
                     List<TensorRef> inputs, List<TensorRef> outputs, JsonNode config) {
    }

    static boolean isModelClass(String className, JsonNode config) {
        return MODEL_CLASSES.contains(className)
                || (config != null && config.isObject() && config.path("layers").isArray()
                    && config.has("input_layers") && config.has("output_layers"));
    }

    /** Parses the root of a model config ({@code {"class_name": ..., "config": ...}}). */
    static ModelDecl parseRoot(JsonNode root) throws KerasImportException {
        if (root == null || !root.isObject()) {
            throw new KerasImportException("the model configuration is not a JSON object");
        }
        String cls = text(root.get("class_name"));
        JsonNode config = root.get("config");
        if (cls == null || config == null) {
            throw new KerasImportException("the model configuration has no class_name/config; the file was not written by Keras model.save()");
        }
        if (!isModelClass(cls, config)) {
            throw new KerasImportException("the file holds a single " + cls + " layer, not a model (class_name '" + cls
                    + "'); save a Sequential or Functional model with model.save()");
        }
        return parseModel(cls, config, textOr(config.path("name"), "model"), true, 0);
    }

    private static ModelDecl parseModel(String cls, JsonNode config, String name, boolean trainable, int depth)
            throws KerasImportException {
        if (depth > MAX_NESTING) {
            throw new KerasImportException("models are nested more than " + MAX_NESTING + " deep in the configuration; the file is corrupt");
        }
        JsonNode layersNode = config.isArray() ? config : config.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw new KerasImportException("model '" + name + "' (" + cls + ") has no layer list in its configuration");
        }
        boolean sequential = cls.equals("Sequential") || !(config.isObject() && config.has("input_layers"));
        List<LayerDecl> layers = new ArrayList<>();
        int index = 0;
        for (JsonNode l : layersNode) {
            layers.add(parseLayer(l, name, index++, depth));
        }
        List<TensorRef> inputs = List.of();
        List<TensorRef> outputs = List.of();
        if (!sequential) {
            inputs = parseEndpoints(config.get("input_layers"), name, "input_layers");
            outputs = parseEndpoints(config.get("output_layers"), name, "output_layers");
        }
        return new ModelDecl(cls, name, sequential, trainable, layers, inputs, outputs, config);
    }

    private static LayerDecl parseLayer(JsonNode l, String modelName, int index, int depth) throws KerasImportException {
        if (!l.isObject()) {
            throw new KerasImportException("layer #" + index + " of model '" + modelName + "' is not a JSON object");
        }
        String cls = text(l.get("class_name"));
        JsonNode config = l.get("config");
        if (cls == null) {
            throw new KerasImportException("layer #" + index + " of model '" + modelName + "' has no class_name");
        }
        if (config == null || !(config.isObject() || config.isArray())) {
            throw new KerasImportException("layer #" + index + " (" + cls + ") of model '" + modelName + "' has no config object");
        }
        String name = text(l.get("name"));
        if (name == null && config.isObject()) {
            name = text(config.get("name"));
        }
        if (name == null || name.isEmpty()) {
            throw new KerasImportException("layer #" + index + " (" + cls + ") of model '" + modelName + "' has no name");
        }
        boolean trainable = !config.isObject() || config.path("trainable").asBoolean(true);
        List<List<TensorRef>> nodes = new ArrayList<>();
        JsonNode inbound = l.get("inbound_nodes");
        if (inbound != null && !inbound.isNull()) {
            if (!inbound.isArray()) {
                throw new KerasImportException("inbound_nodes of layer '" + name + "' (" + cls + ") is not a list");
            }
            for (JsonNode node : inbound) {
                nodes.add(parseNode(node, name, cls));
            }
        }
        ModelDecl nested = null;
        if (isModelClass(cls, config)) {
            nested = parseModel(cls, config, name, trainable, depth + 1);
        }
        return new LayerDecl(cls, name, config, nodes, trainable, nested);
    }

    /** One call of a layer: the list of tensors it consumes, in the order of its inputs. */
    private static List<TensorRef> parseNode(JsonNode node, String layer, String cls) throws KerasImportException {
        List<TensorRef> refs = new ArrayList<>();
        if (node.isObject() && (node.has("args") || node.has("kwargs"))) {
            // Keras 3: {"args": [tensor or [tensors]], "kwargs": {...}}
            collectKerasTensors(node.get("args"), refs, 0);
        } else if (node.isArray()) {
            if (node.size() > 0 && node.get(0).isTextual()) {
                refs.add(parseRef(node, layer, cls)); // a bare [name, node, tensor, kwargs]
            } else {
                for (JsonNode entry : node) {
                    if (entry.isArray()) {
                        refs.add(parseRef(entry, layer, cls));
                    } else if (entry.isObject()) {
                        collectKerasTensors(entry, refs, 0);
                    } else {
                        throw new KerasImportException("an inbound node of layer '" + layer + "' (" + cls + ") is malformed: " + shorten(entry));
                    }
                }
            }
        } else {
            throw new KerasImportException("an inbound node of layer '" + layer + "' (" + cls + ") is malformed: " + shorten(node));
        }
        return refs;
    }

    private static void collectKerasTensors(JsonNode n, List<TensorRef> out, int depth) throws KerasImportException {
        if (n == null || depth > 64) {
            return;
        }
        if (n.isObject()) {
            if ("__keras_tensor__".equals(text(n.get("class_name")))) {
                JsonNode hist = n.path("config").get("keras_history");
                if (hist == null || !hist.isArray() || hist.size() < 3 || !hist.get(0).isTextual()) {
                    throw new KerasImportException("a tensor reference in the configuration has no valid keras_history: " + shorten(n));
                }
                out.add(new TensorRef(hist.get(0).asText(), hist.get(1).asInt(-1), hist.get(2).asInt(-1)));
                return;
            }
            Iterator<JsonNode> it = n.elements();
            while (it.hasNext()) {
                collectKerasTensors(it.next(), out, depth + 1);
            }
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                collectKerasTensors(e, out, depth + 1);
            }
        }
    }

    private static TensorRef parseRef(JsonNode r, String layer, String cls) throws KerasImportException {
        if (r.size() < 3 || !r.get(0).isTextual() || !r.get(1).canConvertToInt() || !r.get(2).canConvertToInt()) {
            throw new KerasImportException("an inbound node of layer '" + layer + "' (" + cls
                    + ") is not [layer_name, node_index, tensor_index, ...]: " + shorten(r));
        }
        return new TensorRef(r.get(0).asText(), r.get(1).asInt(), r.get(2).asInt());
    }

    /** input_layers / output_layers: [[name, node, tensor], ...], a single [name, node, tensor], or a dict of them. */
    private static List<TensorRef> parseEndpoints(JsonNode n, String model, String key) throws KerasImportException {
        if (n == null || n.isNull()) {
            throw new KerasImportException("model '" + model + "' has no " + key + " in its configuration");
        }
        List<TensorRef> out = new ArrayList<>();
        if (n.isArray() && n.size() > 0 && n.get(0).isTextual()) {
            out.add(parseRef(n, model, key));
        } else if (n.isArray() || n.isObject()) {
            for (JsonNode e : n) {
                if (e.isArray() && e.size() > 0 && e.get(0).isTextual()) {
                    out.add(parseRef(e, model, key));
                } else if (e.isArray() || e.isObject()) {
                    out.addAll(parseEndpoints(e, model, key));
                } else {
                    throw new KerasImportException(key + " of model '" + model + "' is malformed: " + shorten(n));
                }
            }
        } else {
            throw new KerasImportException(key + " of model '" + model + "' is malformed: " + shorten(n));
        }
        if (out.isEmpty()) {
            throw new KerasImportException("model '" + model + "' lists no " + key);
        }
        return out;
    }

    static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }

    static String textOr(JsonNode n, String dflt) {
        String t = text(n);
        return t == null ? dflt : t;
    }

    static String shorten(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
