package k210studio.converter.evaluate;

import java.util.Locale;

/**
 * What an evaluation reports while it runs (from worker threads: implementations hand it to their UI thread). A run
 * reports {@code images(0, total, NaN)} when it starts, then once per image done; a cancelled run stops reporting
 * and returns a report marked {@link EvalReport#cancelled()} (see {@link EvalCancel}).
 */
public interface EvalProgress {
    /** A new phase starts: "compiling for V3", "evaluating", "doctor: sensitivity". */
    void phase(String name);

    /**
     * Images of the current phase done so far.
     *
     * @param etaSeconds estimated seconds left (NaN before the first image finished)
     */
    void images(int done, int total, double etaSeconds);

    /** Ignores everything. */
    EvalProgress NONE = new EvalProgress() {
        @Override
        public void phase(String name) {
        }

        @Override
        public void images(int done, int total, double etaSeconds) {
        }
    };

    /** The progress line both the CLI and the studio show: "37/110 images (34 %), 0:12 left". */
    static String text(int done, int total, double etaSeconds) {
        String pct = total > 0 ? String.format(Locale.ROOT, " (%d %%)", (int) (100L * done / total)) : "";
        String eta = Double.isNaN(etaSeconds) || Double.isInfinite(etaSeconds) ? "" : ", " + duration(etaSeconds) + " left";
        return done + "/" + total + " images" + pct + eta;
    }

    /** Seconds as m:ss (h:mm:ss from an hour). */
    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
