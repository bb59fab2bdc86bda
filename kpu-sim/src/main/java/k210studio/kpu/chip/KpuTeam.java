package k210studio.kpu.chip;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that share a layer's work with the calling thread: one daemon helper per extra core,
 * started once and reused by every layer and run (a fork-join split costs a task tree and, worse, a
 * worker wake-up per layer; about a hundred of them per MobileNet image). A job is cut into a few
 * contiguous pieces that the caller and the helpers claim from one counter, so a core slowed by other
 * load simply takes fewer pieces. Between jobs the helpers park at once: spinning (tried for 5, 20 and
 * 200 µs) made the median worse whenever other processes load the machine, as the spinning helper
 * takes the core the caller needs.
 *
 * <p>One job at a time: a caller that finds the team busy (another thread's KPU, or a nested call)
 * gets {@code false} from {@link #run} and splits the work some other way. Each piece runs the same
 * code on the same items whichever thread takes it, so results never depend on the split.
 */
final class KpuTeam {
    /** The shared team: one helper per core beyond the first (none on one core). */
    static final KpuTeam SHARED = new KpuTeam(Math.max(0, Runtime.getRuntime().availableProcessors() - 1));

    private final Thread[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job current;
    /** One flag per helper, written by that helper: it is (about to be) parked. */
    private final AtomicInteger[] sleeping;

    private KpuTeam(int count) {
        helpers = new Thread[count];
        sleeping = new AtomicInteger[count];
        for (int i = 0; i < count; i++) {
            sleeping[i] = new AtomicInteger();
            final int id = i;
            Thread t = new Thread(() -> loop(id), "kpu-work-" + (i + 1));
            t.setDaemon(true);
            helpers[i] = t;
        }
        for (Thread t : helpers) {
            t.start();
        }
    }

    /** Threads that take part in a job (the caller and the helpers). */
    int threads() {
        return helpers.length + 1;
    }

    /**
     * Runs {@code task} over {@code 0..count} in {@code pieces} contiguous pieces on the caller and the
     * helpers; false (nothing run) when the team is busy with another job.
     */
    boolean run(int count, int pieces, KpuWork.RangeTask task) {
        if (helpers.length == 0 || !busy.compareAndSet(false, true)) {
            return false;
        }
        Job job = new Job(task, count, Math.min(count, pieces));
        try {
            current = job;
            for (int i = 0; i < helpers.length; i++) {
                if (sleeping[i].get() != 0) {
                    LockSupport.unpark(helpers[i]);
                }
            }
            job.work();
            int spins = 0;
            while (job.done.get() < job.pieces) {
                if (++spins < 1 << 14) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        } finally {
            current = null;
            busy.set(false);
        }
        if (job.failure != null) {
            if (job.failure instanceof RuntimeException e) {
                throw e;
            }
            if (job.failure instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(job.failure);
        }
        return true;
    }

    private void loop(int id) {
        Job last = null;
        AtomicInteger sleep = sleeping[id];
        while (true) {
            Job job = current;
            if (job != null && job != last) {
                last = job;
                job.work();
                continue;
            }
            // park at once: on a loaded two-core machine a spinning helper steals the caller's core
            sleep.set(1);
            job = current;
            if (job == null || job == last) {
                LockSupport.park(this);
            }
            sleep.set(0);
        }
    }

    /** One forRange call: pieces claimed from {@link #next}, counted in {@link #done} when finished. */
    private static final class Job {
        final KpuWork.RangeTask task;
        final int count;
        final int pieces;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(KpuWork.RangeTask task, int count, int pieces) {
            this.task = task;
            this.count = count;
            this.pieces = pieces;
        }

        void work() {
            int p;
            while ((p = next.getAndIncrement()) < pieces) {
                try {
                    if (failure == null) {
                        task.run((int) ((long) p * count / pieces), (int) ((long) (p + 1) * count / pieces));
                    }
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }
}
