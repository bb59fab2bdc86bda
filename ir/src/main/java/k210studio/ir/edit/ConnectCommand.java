package k210studio.ir.edit;

import java.util.Objects;
import k210studio.ir.graph.Graph;

/** Adds an edge {@code from → to} at an input port of {@code to} (−1: after the last port). */
public final class ConnectCommand implements EditCommand {
    private final String from;
    private final String to;
    private final int port;
    private int appliedPort = -1;

    public ConnectCommand(String from, String to, int port) {
        this.from = Objects.requireNonNull(from);
        this.to = Objects.requireNonNull(to);
        this.port = port;
    }

    public ConnectCommand(String from, String to) {
        this(from, to, -1);
    }

    @Override
    public void apply(Graph graph) {
        int p = port < 0 ? graph.inputsOf(to).size() : port;
        graph.connect(from, to, p);
        appliedPort = p;
    }

    @Override
    public void undo(Graph graph) {
        graph.disconnect(to, appliedPort);
    }

    @Override
    public String description() {
        return "Connect " + from + " → " + to;
    }
}
