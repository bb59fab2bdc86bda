package k210studio.converter.eval;

/** The network cannot be evaluated on these inputs: a wrong input shape, a malformed layer or missing weights. */
public class EvaluationException extends RuntimeException {
    private final String layerId;

    public EvaluationException(String message, String layerId) {
        super(message);
        this.layerId = layerId;
    }

    /** The layer at fault, or null. */
    public String layerId() {
        return layerId;
    }
}
