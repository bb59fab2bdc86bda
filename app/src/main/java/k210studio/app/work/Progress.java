package k210studio.app.work;

import java.util.concurrent.CancellationException;

/** What background work tells its owner while it runs; {@link #checkCancelled()} ends it when the owner cancelled. */
public interface Progress {
    /** A line for the status or progress label. */
    void message(String text);

    /** Done so far: {@code done / total}, or indeterminate when total ≤ 0. */
    void fraction(double done, double total);

    boolean cancelled();

    /** Throws {@link CancellationException} once the job was cancelled. */
    default void checkCancelled() {
        if (cancelled()) {
            throw new CancellationException();
        }
    }
}
