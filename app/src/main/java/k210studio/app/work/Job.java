package k210studio.app.work;

/** A started job. */
public interface Job {
    /** True until the listener has heard how it ended. */
    boolean isRunning();

    /** Asks the work to stop; the listener hears {@code cancelled()} at once and nothing after it. */
    void cancel();
}
