package k210studio.converter.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelRuntime;
import k210studio.kpu.kmodel.RunOptions;

/**
 * Runs per-image work on every core: one worker thread per core takes the next image, and each worker owns one kpu-sim
 * runtime per kmodel (a runtime holds its simulated memories and is not thread-safe). Results keep the image order
 * whatever the finishing order. This is the one place to move to kpu-sim's own batch API once it offers one.
 */
final class ImageRunner {
    private ImageRunner() {
    }

    /** The work for one image; {@code runtimes} are the calling worker's own. */
    @FunctionalInterface
    interface Work<T> {
        T run(int index, Runtimes runtimes) throws Exception;
    }

    /** A worker's runtimes, one per kmodel, made when first used. */
    static final class Runtimes {
        private final List<Kmodel> models;
        private final RunOptions options;
        private final KmodelRuntime[] made;

        Runtimes(List<Kmodel> models, RunOptions options) {
            this.models = models;
            this.options = options;
            this.made = new KmodelRuntime[models.size()];
        }

        KmodelRuntime get(int model) throws KmodelFormatException {
            if (made[model] == null) {
                made[model] = models.get(model).newRuntime(options);
            }
            return made[model];
        }
    }

    /** Worker threads for {@code n} images: the cores, at most one per image. */
    static int threads(int n, int requested) {
        int cores = requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(cores, n));
    }

    /**
     * Runs {@code work} for images 0…n−1.
     *
     * @return per image its result, null for images not started because of {@code cancel}
     * @throws EvaluateException when one image's work throws (the others are stopped)
     */
    static <T> List<T> run(List<Kmodel> models, RunOptions options, int n, int threads, Work<T> work, EvalProgress progress,
                           BooleanSupplier cancel) throws EvaluateException {
        Object[] results = new Object[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        long t0 = System.nanoTime();
        int k = threads(n, threads);
        ExecutorService pool = Executors.newFixedThreadPool(k, r -> {
            Thread t = new Thread(r, "k210-eval");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < k; w++) {
                workers.add(pool.submit(() -> {
                    Runtimes rt = new Runtimes(models, options);
                    for (int i = next.getAndIncrement(); i < n && !cancel.getAsBoolean() && !failed.get(); i = next.getAndIncrement()) {
                        try {
                            results[i] = work.run(i, rt);
                        } catch (Exception | Error e) {
                            failed.set(true);
                            throw e;
                        }
                        int d = done.incrementAndGet();
                        double elapsed = (System.nanoTime() - t0) / 1e9;
                        progress.images(d, n, elapsed / d * (n - d));
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof EvaluateException ee) {
                throw ee;
            }
            throw new EvaluateException(c.getMessage() == null ? c.toString() : c.getMessage(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvaluateException("the evaluation was interrupted", e);
        } finally {
            next.set(n);
            pool.shutdownNow();
        }
        @SuppressWarnings("unchecked")
        List<T> out = (List<T>) Arrays.asList(results);
        return out;
    }
}
