package k210studio.converter.evaluate;

/** An evaluation cannot run; the message says what is wrong (a dataset layout, a model, a label) and how to fix it. */
public final class EvaluateException extends Exception {
    private static final long serialVersionUID = 1L;

    public EvaluateException(String message) {
        super(message);
    }

    public EvaluateException(String message, Throwable cause) {
        super(message, cause);
    }
}
