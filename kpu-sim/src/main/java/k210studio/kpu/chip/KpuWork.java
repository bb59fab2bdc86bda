package k210studio.kpu.chip;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * How the KPU stages spread a layer over the cores: ranges of work items (output channels, input
 * channels or grid positions) split into eight pieces on the persistent {@link KpuTeam} when a layer
 * is big enough (sixteen on the caller's fork-join pool when it runs on one, e.g. KmodelBatchRunner's,
 * or on the common pool when the team is busy), plus per-thread scratch arrays reused across layers.
 * A serial instance runs everything on the calling thread; the split never changes a result (each item
 * is computed by the same code).
 */
final class KpuWork {
    /** Below this many MACs a layer runs on the calling thread only. */
    private static final long PARALLEL_MIN_MACS = 200_000;

    /** Pieces per layer on {@link KpuTeam} (tried 2, 4, 8, 16: 8 balances best under outside load). */
    private static final int PIECES = 8;

    private final boolean parallel;

    KpuWork(boolean parallel) {
        this.parallel = parallel && ForkJoinPool.getCommonPoolParallelism() > 0
                && Runtime.getRuntime().availableProcessors() > 1;
    }

    /** A range of work items run on one thread. */
    interface RangeTask {
        void run(int from, int to);
    }

    void forRange(int count, long work, RangeTask task) {
        if (parallel && count >= 2 && work >= PARALLEL_MIN_MACS) {
            // on a worker of some pool (e.g. KmodelBatchRunner's) the pieces run on that pool, else on the team; sixteen
            // fork-join pieces: small enough that the cores finish together even when one is slowed
            if (!ForkJoinTask.inForkJoinPool() && KpuTeam.SHARED.run(count, PIECES, task)) {
                return;
            }
            Split split = new Split(task, 0, count, Math.max(1, count / 16));
            if (ForkJoinTask.inForkJoinPool()) {
                split.invoke();
            } else {
                ForkJoinPool.commonPool().invoke(split);
            }
        } else {
            task.run(0, count);
        }
    }

    private static final class Split extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeTask task;
        private final int from;
        private final int to;
        private final int grain;

        Split(RangeTask task, int from, int to, int grain) {
            this.task = task;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                task.run(from, to);
                return;
            }
            int mid = from + (to - from) / 2;
            invokeAll(new Split(task, from, mid, grain), new Split(task, mid, to, grain));
        }
    }

    /** Per-thread scratch arrays (accumulators, depthwise taps), reused across layers. */
    private static final ThreadLocal<int[][]> SCRATCH = ThreadLocal.withInitial(() -> new int[12][]);

    /** Scratch array {@code slot} (0..11) of the calling thread with at least {@code length} ints (contents undefined). */
    static int[] scratch(int slot, int length) {
        int[][] s = SCRATCH.get();
        int[] a = s[slot];
        if (a == null || a.length < length) {
            a = new int[Math.max(length, 16)];
            s[slot] = a;
        }
        return a;
    }

    private static final ThreadLocal<byte[][]> SCRATCH_BYTES = ThreadLocal.withInitial(() -> new byte[1][]);

    /** Byte scratch of the calling thread with at least {@code length} bytes (contents undefined). */
    static byte[] scratchBytes(int length) {
        byte[][] s = SCRATCH_BYTES.get();
        if (s[0] == null || s[0].length < length) {
            s[0] = new byte[Math.max(length, 16)];
        }
        return s[0];
    }

    private static final ThreadLocal<long[][]> SCRATCH_LONG = ThreadLocal.withInitial(() -> new long[3][]);

    /** Long scratch array {@code slot} (0..2) of the calling thread with at least {@code length} longs (contents undefined). */
    static long[] scratchLong(int slot, int length) {
        long[][] s = SCRATCH_LONG.get();
        if (s[slot] == null || s[slot].length < length) {
            s[slot] = new long[Math.max(length, 16)];
        }
        return s[slot];
    }

    private static final ThreadLocal<double[][]> SCRATCH_DOUBLE = ThreadLocal.withInitial(() -> new double[1][]);

    /** Double scratch array of the calling thread with at least {@code length} doubles (contents undefined). */
    static double[] scratchDouble(int length) {
        double[][] s = SCRATCH_DOUBLE.get();
        if (s[0] == null || s[0].length < length) {
            s[0] = new double[Math.max(length, 16)];
        }
        return s[0];
    }

    /** Long scratch array 0 of the calling thread. */
    static long[] scratchLong(int length) {
        return scratchLong(0, length);
    }
}
