package k210studio.converter.keras;

/**
 * A Keras file cannot be turned into a network: not a Keras file, weights only, corrupt or
 * truncated, an unsupported layer, or weights that do not fit the architecture. The message
 * names the cause (the layer and its class where there is one) and what to do about it.
 */
public final class KerasImportException extends Exception {
    private static final long serialVersionUID = 1L;

    public KerasImportException(String message) {
        super(message);
    }

    public KerasImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
