package k210studio.app.work;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;

/** {@link Jobs} on daemon threads, every callback posted to the JavaFX application thread. */
final class FxJobs implements Jobs {
    @Override
    public <T> Job start(String name, Work<T> work, JobListener<T> listener) {
        FxJob<T> job = new FxJob<>(work, listener);
        Thread t = new Thread(job::runWork, name);
        t.setDaemon(true);
        job.thread = t;
        t.start();
        return job;
    }

    private static final class FxJob<T> implements Job, Progress {
        private final Work<T> work;
        private final JobListener<T> listener;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        /** Set once the listener has heard the end (read and written on the FX thread only). */
        private boolean ended;
        private Thread thread;

        FxJob(Work<T> work, JobListener<T> listener) {
            this.work = work;
            this.listener = listener;
        }

        void runWork() {
            try {
                T value = work.run(this);
                post(() -> listener.succeeded(value));
            } catch (CancellationException e) {
                post(listener::cancelled);
            } catch (Throwable e) {
                post(() -> listener.failed(e));
            }
        }

        private void post(Runnable end) {
            Platform.runLater(() -> {
                if (!ended) {
                    ended = true;
                    if (cancelled.get()) {
                        listener.cancelled();
                    } else {
                        end.run();
                    }
                }
            });
        }

        @Override
        public boolean isRunning() {
            return !ended;
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                thread.interrupt();
                Runnable tell = () -> {
                    if (!ended) {
                        ended = true;
                        listener.cancelled();
                    }
                };
                if (Platform.isFxApplicationThread()) {
                    tell.run();
                } else {
                    Platform.runLater(tell);
                }
            }
        }

        @Override
        public void message(String text) {
            if (!cancelled.get()) {
                Platform.runLater(() -> {
                    if (!ended) {
                        listener.message(text);
                    }
                });
            }
        }

        @Override
        public void fraction(double done, double total) {
            double f = total > 0 ? done / total : -1;
            if (!cancelled.get()) {
                Platform.runLater(() -> {
                    if (!ended) {
                        listener.progress(f);
                    }
                });
            }
        }

        @Override
        public boolean cancelled() {
            return cancelled.get();
        }
    }
}
