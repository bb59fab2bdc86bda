package k210studio.converter.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.keras.KerasTopology.FlatLayer;
import k210studio.converter.keras.KerasTopology.FlatModel;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Turns a flattened Keras model into an IR {@link Graph}: one layer per Keras layer with its
 * Keras name, edges in input order, explicit outputs, shapes checked with TF-exact shape
 * inference, then every weight read from the file against the shape the layer needs.
 */
final class KerasGraphBuilder {
    private KerasGraphBuilder() {
    }

    record Built(Graph graph, List<ModelInput> inputs) {
    }

    static Built build(FlatModel fm, String graphName, WeightSource weights, List<String> notes) throws KerasImportException {
        Graph g = new Graph(graphName);
        Map<String, String> idOf = new HashMap<>();
        Map<String, FlatLayer> flatById = new LinkedHashMap<>();
        for (FlatLayer fl : fm.layers()) {
            LayerParams p = KerasLayerMapper.params(fl.decl());
            Map<String, String> layerNotes = new LinkedHashMap<>(KerasLayerMapper.layerNotes(fl.decl()));
            if (!fl.nestPath().isEmpty()) {
                List<String> path = new ArrayList<>();
                fl.nestPath().forEach(n -> path.add(n.name()));
                layerNotes.put("keras.nested_in", String.join("/", path));
            }
            if (!fl.name().equals(fl.decl().name())) {
                layerNotes.put("keras.name", fl.decl().name());
            }
            String note = KerasLayerMapper.conversionNote(fl.decl());
            if (note != null) {
                notes.add("layer '" + fl.name() + "': " + note);
            }
            String id = g.newId();
            g.addLayer(new Layer(id, fl.name(), p, Map.of(), layerNotes));
            idOf.put(fl.name(), id);
            flatById.put(id, fl);
        }
        try {
            for (FlatLayer fl : fm.layers()) {
                for (String in : fl.inputs()) {
                    g.connect(idOf.get(in), idOf.get(fl.name()));
                }
            }
            List<String> outs = new ArrayList<>();
            for (String o : fm.outputs()) {
                outs.add(idOf.get(o));
            }
            g.setOutputs(outs);
        } catch (GraphException e) {
            throw new KerasImportException("the model's connections are invalid: " + e.getMessage(), e);
        }
        for (GraphException problem : g.problems()) {
            throw new KerasImportException("the imported network is not well formed: " + problem.getMessage(), problem);
        }
        ShapeResult shapes;
        try {
            shapes = ShapeInference.infer(g);
        } catch (ArithmeticException e) {
            throw new KerasImportException("the model's tensors are too large to describe (" + e.getMessage()
                    + "); the configuration declares sizes no K210 model has", e);
        }
        for (String id : g.topologicalOrder()) {
            String err = shapes.error(id);
            if (err != null) {
                Layer l = g.layer(id);
                throw new KerasImportException("layer '" + l.name() + "' (" + flatById.get(id).decl().className()
                        + ") does not fit its input: " + err);
            }
        }
        for (String id : g.topologicalOrder()) {
            FlatLayer fl = flatById.get(id);
            Layer l = g.layer(id);
            List<String> ins = g.inputsOf(id);
            if (ins.isEmpty()) {
                continue;
            }
            TensorShape in = shapes.shape(ins.get(0));
            KerasLayerMapper.checkWithInputShape(fl.decl(), in);
            List<KerasVariable> vars = KerasLayerMapper.variables(fl.decl());
            List<int[]> expected = new ArrayList<>();
            for (KerasVariable v : vars) {
                expected.add(KerasLayerMapper.expectedShape(fl.decl(), l.params(), v.key(), in));
            }
            List<Tensor> values = weights.read(fl, vars, expected);
            Map<String, Tensor> w = KerasLayerMapper.irWeights(fl.decl(), vars, values, in);
            if (!w.isEmpty()) {
                g.replaceLayer(l.withWeights(w));
            }
        }
        List<ModelInput> inputs = new ArrayList<>();
        for (String name : fm.inputs()) {
            String id = idOf.get(name);
            Input in = (Input) g.layer(id).params();
            String dtype = flatById.get(id).decl().config().path("dtype").isTextual()
                    ? flatById.get(id).decl().config().path("dtype").asText() : "float32";
            inputs.add(new ModelInput(id, name, in.shape(), dtype));
        }
        return new Built(g, inputs);
    }
}
