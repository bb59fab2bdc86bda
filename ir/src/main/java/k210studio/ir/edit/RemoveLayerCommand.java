package k210studio.ir.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;

/**
 * Removes a layer with every edge touching it. With {@code bridge} the layer's single producer
 * is wired straight into every consumer port the layer fed (removing a ZeroPadding2D or a
 * Dropout without breaking the chain). Undo restores the layer at its place in the insertion
 * order, its input ports, the consumer ports it fed (same port indices), its canvas position
 * and the explicit output list.
 */
public final class RemoveLayerCommand implements EditCommand {
    private final String id;
    private final boolean bridge;

    // captured by apply
    private Layer removed;
    private int orderIndex;
    private List<String> producers;
    private List<String[]> consumerPorts; // {consumer, port}
    private Position position;
    private List<String> explicitOutputs;

    public RemoveLayerCommand(String id, boolean bridge) {
        this.id = Objects.requireNonNull(id, "id");
        this.bridge = bridge;
    }

    public RemoveLayerCommand(String id) {
        this(id, false);
    }

    public String layerId() {
        return id;
    }

    @Override
    public void apply(Graph graph) {
        Layer l = graph.layer(id);
        List<String> ins = graph.inputsOf(id);
        if (bridge && ins.size() != 1) {
            throw new GraphException("cannot bridge over " + l.name() + ": it has " + ins.size()
                    + " inputs (only a layer with exactly one input can be removed keeping the chain)", id);
        }
        List<String[]> ports = new ArrayList<>();
        for (String c : graph.consumersOf(id)) {
            List<String> cin = graph.inputsOf(c);
            for (int p = 0; p < cin.size(); p++) {
                if (cin.get(p).equals(id)) {
                    ports.add(new String[] {c, Integer.toString(p)});
                }
            }
        }
        removed = l;
        orderIndex = graph.orderIndex(id);
        producers = ins;
        consumerPorts = ports;
        position = graph.position(id);
        explicitOutputs = graph.explicitOutputs();
        graph.removeLayer(id);
        if (bridge) {
            String from = ins.get(0);
            // ascending port order: each port is re-filled at its old index
            for (String[] cp : ports) {
                graph.connect(from, cp[0], Integer.parseInt(cp[1]));
            }
            if (explicitOutputs.contains(id)) {
                List<String> outs = new ArrayList<>(explicitOutputs);
                outs.set(outs.indexOf(id), from);
                graph.setOutputs(dedupe(outs));
            }
        }
    }

    @Override
    public void undo(Graph graph) {
        if (bridge) {
            String from = producers.get(0);
            for (int i = consumerPorts.size() - 1; i >= 0; i--) {
                String[] cp = consumerPorts.get(i);
                int port = Integer.parseInt(cp[1]);
                if (graph.portOf(from, cp[0]) >= 0 && port < graph.inputsOf(cp[0]).size()
                        && graph.inputsOf(cp[0]).get(port).equals(from)) {
                    graph.disconnect(cp[0], port);
                }
            }
        }
        graph.addLayer(removed, orderIndex);
        for (String p : producers) {
            graph.connect(p, id);
        }
        for (String[] cp : consumerPorts) {
            graph.connect(id, cp[0], Integer.parseInt(cp[1]));
        }
        if (position != null) {
            graph.setPosition(id, position);
        }
        graph.setOutputs(explicitOutputs);
    }

    private static List<String> dedupe(List<String> ids) {
        List<String> out = new ArrayList<>();
        for (String s : ids) {
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public String description() {
        return "Remove " + (removed != null ? removed.name() : id);
    }
}
