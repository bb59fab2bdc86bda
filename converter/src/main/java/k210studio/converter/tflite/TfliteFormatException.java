package k210studio.converter.tflite;

/**
 * The bytes are not a readable TensorFlow Lite model: not a flatbuffer, a wrong file identifier,
 * a truncated file or a field pointing outside the file. The message names what is wrong and where.
 */
public class TfliteFormatException extends Exception {
    public TfliteFormatException(String message) {
        super(message);
    }

    public TfliteFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
