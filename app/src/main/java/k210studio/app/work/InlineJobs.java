package k210studio.app.work;

import java.util.concurrent.CancellationException;

/** {@link Jobs} that run the work at once on the calling thread (view-model tests, scripts). */
final class InlineJobs implements Jobs {
    @Override
    public <T> Job start(String name, Work<T> work, JobListener<T> listener) {
        boolean[] cancelled = {false};
        Progress p = new Progress() {
            @Override
            public void message(String text) {
                listener.message(text);
            }

            @Override
            public void fraction(double done, double total) {
                listener.progress(total > 0 ? done / total : -1);
            }

            @Override
            public boolean cancelled() {
                return cancelled[0];
            }
        };
        try {
            T value = work.run(p);
            listener.succeeded(value);
        } catch (CancellationException e) {
            listener.cancelled();
        } catch (Throwable e) {
            listener.failed(e);
        }
        return new Job() {
            @Override
            public boolean isRunning() {
                return false;
            }

            @Override
            public void cancel() {
                cancelled[0] = true;
            }
        };
    }
}
