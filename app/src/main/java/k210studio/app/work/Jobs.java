package k210studio.app.work;

/**
 * Runs work off the UI thread and reports back on it. View models take a {@code Jobs} so that their tests run the
 * same commands synchronously, without a window ({@link #inline()}), while the studio runs them on daemon threads
 * with results on the JavaFX thread ({@link #fx()}).
 */
public interface Jobs {
    <T> Job start(String name, Work<T> work, JobListener<T> listener);

    /** Background threads, callbacks on the JavaFX application thread. */
    static Jobs fx() {
        return new FxJobs();
    }

    /** On the calling thread, callbacks too: for view-model tests and scripts. */
    static Jobs inline() {
        return new InlineJobs();
    }
}
