package k210studio.app.work;

/**
 * Hears from a job on the UI thread: messages and progress while it runs, then exactly one of succeeded, failed or
 * cancelled (a cancelled job's late result is dropped).
 */
public interface JobListener<T> {
    default void message(String text) {
    }

    /** 0..1, or negative while the amount of work is unknown. */
    default void progress(double fraction) {
    }

    void succeeded(T value);

    void failed(Throwable error);

    void cancelled();
}
