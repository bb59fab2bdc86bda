package k210studio.kpu.kmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * Runs many inferences of one model across the cores (dataset evaluation, batch benchmarks): each
 * image is one task on a fork-join pool of {@code threads} workers, and each task borrows a runtime
 * of its own (a {@link KmodelRuntime} is not thread-safe; runtimes are created on demand, at most one
 * per worker, and reused). The KPU's own splitting of a big layer runs on the same pool, so the cores
 * stay busy whether there are many images or one. Results are those of a single-threaded run, in input
 * order. Close it to stop the workers.
 */
public final class KmodelBatchRunner implements AutoCloseable {
    private final Kmodel model;
    private final RunOptions options;
    private final ForkJoinPool pool;
    private final ConcurrentLinkedQueue<KmodelRuntime> idle = new ConcurrentLinkedQueue<>();

    /** A runner on all available processors. */
    public KmodelBatchRunner(Kmodel model, RunOptions options) {
        this(model, options, Runtime.getRuntime().availableProcessors());
    }

    public KmodelBatchRunner(Kmodel model, RunOptions options, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.model = model;
        this.options = options;
        this.pool = new ForkJoinPool(threads);
    }

    /** Runs every input (one list of tensors per inference, as {@link KmodelRuntime#run(List)}); results in order. */
    public List<RunResult> runAll(List<List<KmodelTensor>> inputs) throws KmodelFormatException {
        List<Future<RunResult>> futures = new ArrayList<>(inputs.size());
        for (List<KmodelTensor> in : inputs) {
            futures.add(pool.submit(() -> runOne(in)));
        }
        List<RunResult> results = new ArrayList<>(inputs.size());
        for (Future<RunResult> f : futures) {
            try {
                results.add(f.get());
            } catch (InterruptedException e) {
                futures.forEach(x -> x.cancel(true));
                Thread.currentThread().interrupt();
                throw new IllegalStateException("batch run interrupted", e);
            } catch (ExecutionException e) {
                futures.forEach(x -> x.cancel(true));
                Throwable c = e.getCause();
                if (c instanceof KmodelFormatException k) {
                    throw k;
                }
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(c);
            }
        }
        return results;
    }

    private RunResult runOne(List<KmodelTensor> in) throws KmodelFormatException {
        KmodelRuntime rt = idle.poll();
        if (rt == null) {
            rt = model.newRuntime(options);
        }
        try {
            return rt.run(in);
        } finally {
            idle.add(rt);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
