package k210studio.converter.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import k210studio.converter.evaluate.EvalProgress;

/**
 * {@code k210 eval}'s progress line on stderr, rewritten in place ("evaluating on v3: 37/110 images (33 %), 0:12
 * left"), at most ten times a second and always for the last image; stdout (the report, --json) never sees it.
 */
final class EvalProgressLine implements EvalProgress {
    private static final long MIN_NANOS = 100_000_000L;

    private final PrintWriter err;
    private String phase = "evaluating";
    private long last;
    private int width;

    EvalProgressLine(PrintWriter err) {
        this.err = err;
    }

    /** True when fd 2 is a terminal (Linux /proc; elsewhere: when the JVM has a console). */
    static boolean stderrIsTerminal() {
        try {
            String t = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public synchronized void phase(String name) {
        phase = name;
    }

    @Override
    public synchronized void images(int done, int total, double etaSeconds) {
        long now = System.nanoTime();
        if (done != total && width > 0 && now - last < MIN_NANOS) {
            return;
        }
        last = now;
        String s = phase + ": " + EvalProgress.text(done, total, etaSeconds);
        err.print("\r" + s + " ".repeat(Math.max(0, width - s.length())));
        width = s.length();
        err.flush();
    }

    /** Ends the line (the report and messages follow on their own lines). */
    synchronized void end() {
        if (width > 0) {
            err.println();
            err.flush();
            width = 0;
        }
    }
}
