package k210studio.ir.edit;

import java.util.List;
import java.util.Objects;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.LayerParams;

/**
 * Adds a layer at the end of the insertion order, fed by the given producers (in port order),
 * optionally at a canvas position. Undo removes it again.
 */
public final class AddLayerCommand implements EditCommand {
    private final Layer layer;
    private final List<String> producers;
    private final Position position;

    public AddLayerCommand(Layer layer, List<String> producers, Position position) {
        this.layer = Objects.requireNonNull(layer, "layer");
        this.producers = List.copyOf(producers);
        this.position = position;
    }

    public AddLayerCommand(Layer layer) {
        this(layer, List.of(), null);
    }

    /** A new layer with a fresh id and a unique name derived from {@code baseName}. */
    public static AddLayerCommand create(Graph graph, String baseName, LayerParams params, Position position, String... producers) {
        Layer l = new Layer(graph.newId(), graph.uniqueName(baseName), params);
        return new AddLayerCommand(l, List.of(producers), position);
    }

    /** The layer this command adds (its id is fixed, so redo recreates the same layer). */
    public Layer layer() {
        return layer;
    }

    @Override
    public void apply(Graph graph) {
        graph.addLayer(layer);
        try {
            for (String p : producers) {
                graph.connect(p, layer.id());
            }
            if (position != null) {
                graph.setPosition(layer.id(), position);
            }
        } catch (GraphException e) {
            graph.removeLayer(layer.id());
            throw e;
        }
    }

    @Override
    public void undo(Graph graph) {
        graph.removeLayer(layer.id());
    }

    @Override
    public String description() {
        return "Add " + layer.label();
    }
}
