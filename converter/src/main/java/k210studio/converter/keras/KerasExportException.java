package k210studio.converter.keras;

/** A design cannot be written as a Keras script (it is not a well-formed network, or holds a layer with no Keras form). */
public final class KerasExportException extends Exception {
    private static final long serialVersionUID = 1L;

    public KerasExportException(String message) {
        super(message);
    }
}
