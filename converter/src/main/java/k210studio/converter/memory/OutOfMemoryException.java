package k210studio.converter.memory;

/**
 * A buffer does not fit its pool. The message names the layer, how much was needed, how much was free (and
 * whether fragmentation is to blame) and what to do about it.
 */
public class OutOfMemoryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String bufferName;
    private final int step;

    public OutOfMemoryException(String message, String bufferName, int step) {
        super(message);
        this.bufferName = bufferName;
        this.step = step;
    }

    /** The buffer (producing layer) that could not be placed. */
    public String bufferName() {
        return bufferName;
    }

    public int step() {
        return step;
    }
}
