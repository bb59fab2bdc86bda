package k210studio.app.files;

/** A model file could not be imported; the message names the cause and what to do. */
public class ModelImportException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelImportException(String message) {
        super(message);
    }

    public ModelImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
