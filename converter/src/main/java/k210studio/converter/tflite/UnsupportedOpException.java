package k210studio.converter.tflite;

/**
 * An operator (or one of its parameters) the importer cannot map to the layer catalog. The
 * importer turns it into an error diagnostic and goes on with the rest of the model.
 */
public class UnsupportedOpException extends Exception {
    public UnsupportedOpException(String message) {
        super(message);
    }
}
