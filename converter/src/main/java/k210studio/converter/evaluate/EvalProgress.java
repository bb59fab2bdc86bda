package k210studio.converter.evaluate;

/** What an evaluation reports while it runs (from worker threads: implementations hand it to their UI thread). */
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
}
