package k210studio.ir.edit;

import java.util.Objects;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.LayerParams;

/**
 * Inserts a new single-input layer on the edge {@code from → to}: {@code from → new → to},
 * the new layer taking the port the edge used. The new layer is placed in the insertion order
 * just before {@code to}. Undo restores the original edge exactly.
 */
public final class InsertLayerBetweenCommand implements EditCommand {
    private final String from;
    private final String to;
    private final Layer layer;
    private final Position position;
    private int port = -1;

    public InsertLayerBetweenCommand(String from, String to, Layer layer, Position position) {
        this.from = Objects.requireNonNull(from);
        this.to = Objects.requireNonNull(to);
        this.layer = Objects.requireNonNull(layer);
        this.position = position;
    }

    /** A new layer with a fresh id and a unique name derived from {@code baseName}. */
    public static InsertLayerBetweenCommand create(Graph graph, String from, String to, String baseName, LayerParams params) {
        return new InsertLayerBetweenCommand(from, to, new Layer(graph.newId(), graph.uniqueName(baseName), params), null);
    }

    public Layer layer() {
        return layer;
    }

    @Override
    public void apply(Graph graph) {
        int p = graph.portOf(from, to);
        if (p < 0) {
            throw new GraphException(graph.layer(from).name() + " does not feed " + graph.layer(to).name()
                    + ": nothing to insert into", to);
        }
        if (layer.params().maxInputs() < 1) {
            throw new GraphException(layer.label() + " takes no input and cannot be inserted on an edge", to);
        }
        graph.addLayer(layer, graph.orderIndex(to));
        graph.disconnect(to, p);
        graph.connect(from, layer.id());
        graph.connect(layer.id(), to, p);
        if (position != null) {
            graph.setPosition(layer.id(), position);
        }
        port = p;
    }

    @Override
    public void undo(Graph graph) {
        graph.disconnect(to, port);
        graph.removeLayer(layer.id());
        graph.connect(from, to, port);
    }

    @Override
    public String description() {
        return "Insert " + layer.label();
    }
}
