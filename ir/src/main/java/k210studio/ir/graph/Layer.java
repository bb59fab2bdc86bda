package k210studio.ir.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.tensor.Tensor;

/**
 * One node of the network: a stable id, a user-visible (Keras) name, typed parameters,
 * named float weights ("kernel", "bias", "gamma", ...) and free-form notes for display
 * (e.g. the quantization parameters an imported TFLite tensor had). Immutable: edits
 * replace the layer in the {@link Graph}.
 */
public record Layer(String id, String name, LayerParams params, Map<String, Tensor> weights, Map<String, String> notes) {

    public Layer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(params, "params");
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights == null ? Map.of() : weights));
        notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes == null ? Map.of() : notes));
    }

    public Layer(String id, String name, LayerParams params) {
        this(id, name, params, Map.of(), Map.of());
    }

    public Layer(String id, String name, LayerParams params, Map<String, Tensor> weights) {
        this(id, name, params, weights, Map.of());
    }

    public Tensor weight(String key) {
        return weights.get(key);
    }

    public Layer withParams(LayerParams p) {
        return new Layer(id, name, p, weights, notes);
    }

    public Layer withName(String n) {
        return new Layer(id, n, params, weights, notes);
    }

    public Layer withWeights(Map<String, Tensor> w) {
        return new Layer(id, name, params, w, notes);
    }

    public Layer withNotes(Map<String, String> n) {
        return new Layer(id, name, params, weights, n);
    }

    /** "conv2d_1 (Conv2D)" */
    public String label() {
        return name + " (" + params.kerasName() + ")";
    }
}
