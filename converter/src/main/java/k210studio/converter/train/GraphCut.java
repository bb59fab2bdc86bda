package k210studio.converter.train;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Input;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.TensorShape;

/**
 * A network cut at one layer's output: the frozen {@code prefix} (the layer and everything it depends on,
 * output = that layer) and the trainable {@code suffix} (every other layer, fed by a new Input shaped like the
 * cut). Layer ids are kept, so trained suffix weights go back into the full network by id.
 *
 * @param prefix   the frozen part (null when the cut is the network input: nothing is frozen)
 * @param suffix   the part that trains
 * @param boundary the layer whose output is the cut
 */
public record GraphCut(Graph prefix, Graph suffix, String boundary) {
    /** The id of the suffix's Input layer that stands for the cut. */
    public static final String FEATURES_ID = "train:features";

    /**
     * @param boundaryId the layer whose output feeds the trainable part; null or an Input layer for "train everything"
     * @throws TrainingException when a later layer also reads an earlier one (the cut is not a single tensor)
     */
    public static GraphCut at(Graph g, String boundaryId) throws TrainingException {
        if (boundaryId == null || g.layer(boundaryId).params() instanceof Input) {
            return new GraphCut(null, g.copy(), boundaryId);
        }
        Set<String> before = ancestors(g, boundaryId);
        Graph prefix = g.copy();
        for (String id : g.ids()) {
            if (!before.contains(id)) {
                prefix.removeLayer(id);
            }
        }
        prefix.setOutputs(List.of(boundaryId));
        TensorShape shape = ShapeInference.infer(g).shapes().get(boundaryId);
        Graph suffix = new Graph(g.name());
        suffix.addLayer(new Layer(FEATURES_ID, g.layer(boundaryId).name() + ":features", new Input(shape)));
        for (String id : g.topologicalOrder()) {
            if (!before.contains(id)) {
                suffix.addLayer(g.layer(id));
            }
        }
        for (String id : g.topologicalOrder()) {
            if (before.contains(id)) {
                continue;
            }
            for (String p : g.inputsOf(id)) {
                if (p.equals(boundaryId)) {
                    suffix.connect(FEATURES_ID, id);
                } else if (before.contains(p)) {
                    throw new TrainingException("layer '" + g.layer(id).name() + "' reads '" + g.layer(p).name()
                            + "', which lies before the frozen cut at '" + g.layer(boundaryId).name() + "': choose a cut every later layer sees only through it");
                } else {
                    suffix.connect(p, id);
                }
            }
        }
        List<String> outs = g.outputIds().stream().filter(o -> !before.contains(o)).toList();
        suffix.setOutputs(outs);
        return new GraphCut(prefix, suffix, boundaryId);
    }

    /** The layer and every layer it depends on. */
    static Set<String> ancestors(Graph g, String id) {
        Set<String> out = new HashSet<>();
        collect(g, id, out);
        return out;
    }

    private static void collect(Graph g, String id, Set<String> out) {
        if (out.add(id)) {
            for (String p : g.inputsOf(id)) {
                collect(g, p, out);
            }
        }
    }
}
