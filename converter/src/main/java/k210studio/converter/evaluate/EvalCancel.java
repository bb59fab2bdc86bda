package k210studio.converter.evaluate;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Cancels an evaluation from another thread (a Cancel button, a Ctrl+C shutdown hook). The evaluator polls it before
 * each image starts; the images already started finish, and the run returns a report of the images done, marked
 * {@link EvalReport#cancelled()}, so nothing is half counted.
 */
public final class EvalCancel implements BooleanSupplier {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** Asks the run to stop; true the first time. */
    public boolean cancel() {
        return cancelled.compareAndSet(false, true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public boolean getAsBoolean() {
        return cancelled.get();
    }
}
