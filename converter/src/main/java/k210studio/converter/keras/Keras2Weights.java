package k210studio.converter.keras;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import k210studio.converter.keras.KerasModelConfig.LayerDecl;
import k210studio.converter.keras.KerasTopology.FlatLayer;
import k210studio.ir.tensor.Tensor;

/**
 * Weights of a Keras 2 / tf.keras full-model .h5: group {@code model_weights/<layer>} with the
 * attribute {@code weight_names} listing dataset paths ({@code <scope>/kernel:0}, ...) in the
 * order of the layer's variables; Keras loads them by position, and so do we. A nested model's
 * group holds the variables of all its inner layers, trainable ones of every layer first, then
 * the non-trainable ones ({@code layer.trainable_weights + layer.non_trainable_weights}); we match
 * them by scope name and variable name, falling back to that order.
 */
final class Keras2Weights implements WeightSource {
    private final Hdf5Reader h5;
    private final Group modelWeights;
    private final Map<String, List<String>> namesCache = new HashMap<>();

    Keras2Weights(Hdf5Reader h5, Group modelWeights) {
        this.h5 = h5;
        this.modelWeights = modelWeights;
    }

    @Override
    public List<Tensor> read(FlatLayer layer, List<KerasVariable> vars, List<int[]> shapes) throws KerasImportException {
        if (vars.isEmpty()) {
            return List.of();
        }
        LayerDecl d = layer.decl();
        LayerDecl owner = layer.nestPath().isEmpty() ? d : layer.nestPath().get(0);
        Group g = h5.groupOrNull(modelWeights, owner.name());
        if (g == null) {
            throw new KerasImportException("layer '" + d.name() + "' (" + d.className() + ") needs weights " + keys(vars)
                    + " but " + h5.what() + " has no group model_weights/" + owner.name() + "; the file does not match its architecture");
        }
        List<String> names = weightNames(g, owner.name());
        List<String> chosen;
        if (layer.nestPath().isEmpty()) {
            if (names.size() != vars.size()) {
                throw new KerasImportException("layer '" + d.name() + "' (" + d.className() + ") has " + names.size()
                        + " weight(s) in the file " + names + " but its configuration needs " + vars.size() + " " + keys(vars));
            }
            chosen = names;
        } else {
            chosen = matchNested(layer, vars, names);
        }
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            out.add(readOne(g, chosen.get(i), d, vars.get(i), shapes.get(i)));
        }
        return out;
    }

    private List<String> weightNames(Group g, String owner) throws KerasImportException {
        List<String> cached = namesCache.get(owner);
        if (cached == null) {
            cached = h5.stringListAttribute(g, "weight_names");
            namesCache.put(owner, cached);
        }
        return cached;
    }

    private Tensor readOne(Group g, String path, LayerDecl d, KerasVariable v, int[] shape) throws KerasImportException {
        Dataset ds = h5.datasetOrNull(g, path);
        if (ds == null) {
            throw new KerasImportException("weight '" + path + "' of layer '" + d.name() + "' (" + d.className() + ") is listed in "
                    + h5.what() + " but missing; the file is corrupt or truncated");
        }
        int[] dims = h5.dimensions(ds);
        if (!Arrays.equals(dims, shape)) {
            throw new KerasImportException("weight '" + v.key() + "' of layer '" + d.name() + "' (" + d.className() + ") has shape "
                    + Arrays.toString(dims) + " in the file but the layer needs " + Arrays.toString(shape)
                    + "; the weights do not belong to this architecture");
        }
        float[] data = h5.floats(ds, "weight '" + v.key() + "' of layer '" + d.name() + "'");
        return new Tensor(shape, data);
    }

    /** For a layer inside a nested model: its weight paths among the nested model's weight_names. */
    private List<String> matchNested(FlatLayer layer, List<KerasVariable> vars, List<String> names) throws KerasImportException {
        LayerDecl d = layer.decl();
        // 1) by name: "<scope>/<variable>:N" where the scope is the layer's name (possibly uniquified with _N)
        Pattern scope = Pattern.compile(Pattern.quote(d.name()) + "(_\\d+)?");
        List<String> byName = new ArrayList<>();
        for (KerasVariable v : vars) {
            String found = null;
            int hits = 0;
            for (String n : names) {
                String[] parts = n.split("/");
                if (parts.length < 2) {
                    continue;
                }
                String var = parts[parts.length - 1].replaceAll(":\\d+$", "");
                if (var.equals(v.key()) && scope.matcher(parts[parts.length - 2]).matches()) {
                    found = n;
                    hits++;
                }
            }
            if (hits != 1) {
                byName = null;
                break;
            }
            byName.add(found);
        }
        if (byName != null) {
            return byName;
        }
        // 2) by position in Keras' legacy order of the outermost nested model
        LayerDecl owner = layer.nestPath().get(0);
        List<Slot> order = new ArrayList<>();
        trainable(owner, order);
        nonTrainable(owner, order);
        if (order.size() != names.size()) {
            throw new KerasImportException("nested model '" + owner.name() + "' has " + names.size() + " weights in the file but its layers need "
                    + order.size() + "; the file does not match its architecture");
        }
        List<String> out = new ArrayList<>();
        for (KerasVariable v : vars) {
            for (int i = 0; i < order.size(); i++) {
                Slot s = order.get(i);
                if (s.layer == d && s.var.key().equals(v.key())) {
                    out.add(names.get(i));
                    break;
                }
            }
        }
        if (out.size() != vars.size()) {
            throw new KerasImportException("the weights of layer '" + d.name() + "' (" + d.className() + ") in nested model '"
                    + owner.name() + "' cannot be found in " + h5.what());
        }
        return out;
    }

    private record Slot(LayerDecl layer, KerasVariable var) {
    }

    private static void trainable(LayerDecl x, List<Slot> out) {
        if (!x.trainable()) {
            return;
        }
        if (x.nested() != null) {
            for (LayerDecl c : x.nested().layers()) {
                trainable(c, out);
            }
        } else {
            for (KerasVariable v : KerasLayerMapper.variables(x)) {
                if (v.trainable()) {
                    out.add(new Slot(x, v));
                }
            }
        }
    }

    private static void nonTrainable(LayerDecl x, List<Slot> out) {
        if (x.nested() != null) {
            for (LayerDecl c : x.nested().layers()) {
                if (x.trainable()) {
                    nonTrainable(c, out);
                } else {
                    all(c, out);
                }
            }
        } else {
            for (KerasVariable v : KerasLayerMapper.variables(x)) {
                if (!x.trainable() || !v.trainable()) {
                    out.add(new Slot(x, v));
                }
            }
        }
    }

    private static void all(LayerDecl x, List<Slot> out) {
        if (x.nested() != null) {
            for (LayerDecl c : x.nested().layers()) {
                all(c, out);
            }
        } else {
            for (KerasVariable v : KerasLayerMapper.variables(x)) {
                out.add(new Slot(x, v));
            }
        }
    }

    static String keys(List<KerasVariable> vars) {
        List<String> k = new ArrayList<>();
        vars.forEach(v -> k.add(v.key()));
        return k.toString();
    }
}
