package k210studio.kpu.image;

/** An image file that cannot be decoded (missing, unsupported format, corrupt). The message names the file and the fix. */
public class ImageDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
