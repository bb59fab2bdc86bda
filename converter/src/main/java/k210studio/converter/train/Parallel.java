package k210studio.converter.train;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Splits the samples of a mini-batch into as many contiguous chunks as there are cores and runs them in
 * parallel. Each chunk has an index below {@link #chunks()}, so a chunk can accumulate weight gradients into
 * its own buffer (no locks, no races) and the buffers are summed afterwards.
 */
final class Parallel {
    private Parallel() {
    }

    /**
     * The number of chunks a batch is split into: one per core (a parallel stream runs on the common pool's
     * workers and on the calling thread, so the pool's parallelism + 1 threads work at once).
     */
    static int chunks() {
        return Math.max(1, ForkJoinPool.getCommonPoolParallelism() + 1);
    }

    /** The work of one chunk: samples {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    interface ChunkBody {
        void run(int from, int to, int chunk);
    }

    /** Runs {@code body} over samples 0..n−1 split into at most {@link #chunks()} chunks. */
    static void forChunks(int n, ChunkBody body) {
        int k = Math.min(chunks(), n);
        if (k <= 1) {
            if (n > 0) {
                body.run(0, n, 0);
            }
            return;
        }
        IntStream.range(0, k).parallel().forEach(c -> body.run((int) ((long) n * c / k), (int) ((long) n * (c + 1) / k), c));
    }

    /** Runs {@code body} for each sample 0..n−1 in parallel. */
    static void forEach(int n, java.util.function.IntConsumer body) {
        forChunks(n, (from, to, chunk) -> {
            for (int i = from; i < to; i++) {
                body.accept(i);
            }
        });
    }
}
