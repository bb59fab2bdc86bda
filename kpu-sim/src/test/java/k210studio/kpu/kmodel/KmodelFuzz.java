package k210studio.kpu.kmodel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tally of a fuzz run over kmodel bytes: every mutation must read as a model or fail with
 * {@link KmodelFormatException}, and every model that reads must run or fail the same way;
 * anything else (another exception, an error) fails the test naming the mutation.
 */
public final class KmodelFuzz {
    /** One run of a model that was read. */
    public interface Run {
        void run() throws Exception;
    }

    private final String title;
    private int parsed;
    private int ran;
    private int rejected;
    private long slowest;

    public KmodelFuzz(String title) {
        this.title = title;
    }

    /** The model the bytes read as, or null when they were refused with the format error. */
    public Kmodel read(byte[] bytes, String what) {
        try {
            Kmodel m = KmodelFiles.read(bytes);
            parsed++;
            return m;
        } catch (KmodelFormatException e) {
            rejected++;
            assertThat(e.getMessage()).as(what).isNotBlank();
            return null;
        } catch (Throwable t) {
            throw new AssertionError(what + ": read threw " + t, t);
        }
    }

    /**
     * Runs a model; a format error is counted. With {@code inputMismatchAllowed}, an
     * IllegalArgumentException naming the input (the input we made does not match a mutated input
     * description: the caller's error, named) is accepted too.
     */
    public void run(String what, boolean inputMismatchAllowed, Run run) {
        long t0 = System.nanoTime();
        try {
            run.run();
            ran++;
        } catch (KmodelFormatException e) {
            rejected++;
            assertThat(e.getMessage()).as(what).isNotBlank();
        } catch (IllegalArgumentException e) {
            if (!inputMismatchAllowed) {
                throw new AssertionError(what + ": run threw " + e, e);
            }
            assertThat(e.getMessage()).as(what).contains("input");
        } catch (Throwable t) {
            throw new AssertionError(what + ": run threw " + t, t);
        }
        long took = System.nanoTime() - t0;
        if (took > 3_000_000_000L) {
            System.out.printf("%s: slow run %s: %.0f ms%n", title, what, took / 1e6);
        }
        slowest = Math.max(slowest, took);
    }

    /** Prints the tally; some mutations must have parsed and some parsed models must have run. */
    public void report() {
        System.out.printf("%s: %d parsed, %d ran to the end, %d format errors, slowest run %.0f ms%n", title, parsed,
                ran, rejected, slowest / 1e6);
        assertThat(parsed).isPositive();
        assertThat(ran).isPositive();
    }

    public int rejected() {
        return rejected;
    }
}
