package k210studio.ir.graph;

/** A structural problem in a graph (cycle, dangling edge, wrong number of inputs), with a message for the user. */
public class GraphException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String layerId;

    public GraphException(String message) {
        this(message, null);
    }

    public GraphException(String message, String layerId) {
        super(message);
        this.layerId = layerId;
    }

    /** The layer the problem is about, or null. */
    public String layerId() {
        return layerId;
    }
}
