package k210studio.converter.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelBatchRunner;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;

/**
 * Runs per-image work on every core in batches: for a batch of images (two per worker) the host side of each image
 * (read, board input, float model) runs on a pool of workers, then the batch's kmodel inputs go to kpu-sim's
 * {@link KmodelBatchRunner} (one runtime per worker, the KPU's own layer splitting on the same pool), then each
 * image's answers are decoded. The cancel token is polled before each image starts; images not started stay null.
 * Results keep the image order whatever the finishing order, so the figures are those of a serial run.
 */
public final class ImageRunner {
    private ImageRunner() {
    }

    /** The work of one image, in three steps. */
    public interface Work<P, T> {
        /** The host side before the kmodel runs: read, board input, float model (called from several workers). */
        P prepare(int index) throws Exception;

        /** The kmodel input of a prepared image. */
        List<KmodelTensor> input(P prepared);

        /** The image's result from its host side and the kmodel's run. */
        T finish(int index, P prepared, RunResult k210) throws Exception;

        /** The image's name, for messages. */
        String name(int index);
    }

    /** Worker threads for {@code n} images: the cores, at most one per image. */
    static int threads(int n, int requested) {
        int cores = requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(cores, n));
    }

    /**
     * Runs images 0…n−1.
     *
     * @return per image its result, null for images not started because of {@code cancel}
     * @throws EvaluateException when one image's work throws (the rest of the run is dropped)
     */
    public static <P, T> List<T> run(Kmodel model, RunOptions options, int n, int threads, Work<P, T> work, EvalProgress progress,
                              BooleanSupplier cancel) throws EvaluateException {
        Object[] results = new Object[n];
        int k = threads(n, threads);
        int batch = 2 * k;
        long t0 = System.nanoTime();
        int done = 0;
        ExecutorService hosts = Executors.newFixedThreadPool(k, r -> {
            Thread t = new Thread(r, "k210-eval");
            t.setDaemon(true);
            return t;
        });
        try (KmodelBatchRunner kpu = new KmodelBatchRunner(model, options, k)) {
            for (int start = 0; start < n && !cancel.getAsBoolean(); start += batch) {
                int end = Math.min(n, start + batch);
                List<Future<P>> host = new ArrayList<>();
                for (int i = start; i < end; i++) {
                    int index = i;
                    host.add(hosts.submit(() -> cancel.getAsBoolean() ? null : work.prepare(index)));
                }
                List<Integer> ran = new ArrayList<>();
                List<P> prepared = new ArrayList<>();
                for (int i = start; i < end; i++) {
                    P p = await(host.get(i - start), host);
                    if (p != null) {
                        ran.add(i);
                        prepared.add(p);
                    }
                }
                List<RunResult> k210 = kmodelRuns(kpu, model, options, ran, prepared, work);
                for (int j = 0; j < ran.size(); j++) {
                    int i = ran.get(j);
                    try {
                        results[i] = work.finish(i, prepared.get(j), k210.get(j));
                    } catch (EvaluateException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new EvaluateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
                    }
                    done++;
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    progress.images(done, n, elapsed / done * (n - done));
                }
            }
        } finally {
            hosts.shutdownNow();
        }
        @SuppressWarnings("unchecked")
        List<T> out = (List<T>) Arrays.asList(results);
        return out;
    }

    private static <P> P await(Future<P> f, List<Future<P>> all) throws EvaluateException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            all.forEach(x -> x.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof EvaluateException ee) {
                throw ee;
            }
            throw new EvaluateException(c.getMessage() == null ? c.toString() : c.getMessage(), c);
        } catch (InterruptedException e) {
            all.forEach(x -> x.cancel(true));
            Thread.currentThread().interrupt();
            throw new EvaluateException("the evaluation was interrupted", e);
        }
    }

    /**
     * The batch's kmodel runs across the cores; when one fails, the images are run one by one to name the one whose
     * input the kmodel refuses.
     */
    private static <P> List<RunResult> kmodelRuns(KmodelBatchRunner kpu, Kmodel model, RunOptions options, List<Integer> indices,
                                                  List<P> prepared, Work<P, ?> work) throws EvaluateException {
        List<List<KmodelTensor>> ins = prepared.stream().map(work::input).toList();
        try {
            return kpu.runAll(ins);
        } catch (Exception batchFailure) {
            for (int j = 0; j < ins.size(); j++) {
                try {
                    model.run(ins.get(j), options);
                } catch (Exception e) {
                    throw new EvaluateException(work.name(indices.get(j)) + ": the kmodel does not run on the simulator: " + e.getMessage(), e);
                }
            }
            throw new EvaluateException("the kmodel does not run on the simulator: " + batchFailure.getMessage(), batchFailure);
        }
    }
}
