package k210studio.converter.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import k210studio.converter.evaluate.EvalCancel;

/**
 * Ctrl+C during {@code k210 eval}: a shutdown hook (SIGINT, SIGTERM) cancels the evaluation and holds the JVM until
 * the command has printed the report of the images done, so the output is never cut in half. Installed for the
 * evaluation only; closing removes it.
 */
final class EvalInterrupt implements AutoCloseable {
    /** The exit status of a run cancelled by Ctrl+C (128 + SIGINT, what shells report). */
    static final int EXIT_CANCELLED = 130;
    /** How long the hook waits for the report before the JVM goes down anyway. */
    private static final long WAIT_SECONDS = 120;

    private final EvalCancel cancel = new EvalCancel();
    private final CountDownLatch reported = new CountDownLatch(1);
    private final Thread hook;

    private EvalInterrupt() {
        hook = new Thread(() -> {
            cancel.cancel();
            try {
                reported.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "k210-eval-interrupt");
    }

    static EvalInterrupt install() {
        EvalInterrupt i = new EvalInterrupt();
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** The token the hook sets. */
    EvalCancel cancel() {
        return cancel;
    }

    /** The report is out: a pending shutdown may go on. */
    void reported() {
        reported.countDown();
    }

    @Override
    public void close() {
        reported.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it has just been released
        }
    }
}
