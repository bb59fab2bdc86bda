package k210studio.converter.imaging;

/** The file is not an image the studio can decode (BMP, PNG, JPEG, GIF) or does not fit the model input. */
public class ImageFormatException extends Exception {
    public ImageFormatException(String message) {
        super(message);
    }

    public ImageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
