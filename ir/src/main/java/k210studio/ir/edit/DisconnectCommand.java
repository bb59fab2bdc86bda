package k210studio.ir.edit;

import java.util.Objects;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;

/** Removes the edge into input port {@code port} of layer {@code to}. */
public final class DisconnectCommand implements EditCommand {
    private final String to;
    private final int port;
    private String from;

    public DisconnectCommand(String to, int port) {
        this.to = Objects.requireNonNull(to);
        this.port = port;
    }

    /** Removes the (first) edge {@code from → to}. */
    public static DisconnectCommand edge(Graph graph, String from, String to) {
        int p = graph.portOf(from, to);
        if (p < 0) {
            throw new GraphException(graph.layer(from).name() + " does not feed " + graph.layer(to).name(), to);
        }
        return new DisconnectCommand(to, p);
    }

    @Override
    public void apply(Graph graph) {
        from = graph.disconnect(to, port);
    }

    @Override
    public void undo(Graph graph) {
        graph.connect(from, to, port);
    }

    @Override
    public String description() {
        return "Disconnect " + (from != null ? from + " → " : "") + to;
    }
}
