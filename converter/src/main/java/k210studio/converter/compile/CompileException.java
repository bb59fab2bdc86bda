package k210studio.converter.compile;

/**
 * The network cannot be compiled for the chosen target. The message names the layer and what to do
 * (use V4, apply the studio's fix, change the layer); {@link #layerName()} lets the studio highlight it.
 */
public class CompileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String layerName;

    public CompileException(String message, String layerName) {
        super(message);
        this.layerName = layerName;
    }

    public CompileException(String message, String layerName, Throwable cause) {
        super(message, cause);
        this.layerName = layerName;
    }

    /** The guilty layer's name, or null when the problem is not about one layer. */
    public String layerName() {
        return layerName;
    }
}
