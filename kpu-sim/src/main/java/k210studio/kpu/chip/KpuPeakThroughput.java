package k210studio.kpu.chip;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The machine's int8 multiply-accumulate peak as this JVM reaches it, measured the way the KPU kernel
 * computes: 8-bit values held in 32-bit float lanes (exact, see {@link KpuVectorGemm}), multiply-accumulated
 * over cache-resident operands. With
 * {@code jdk.incubator.vector} the loop is the GEMM micro-kernel itself ({@link KpuVectorGemm#tile},
 * an 8 × 2-vector register tile) on L1-resident panels, so the figure is the ceiling of the
 * simulator's own inner loop; without the module, a scalar loop with four weights and four
 * accumulators. {@code k210 bench} prints
 * it beside the MAC/s the simulator reaches, so "how close to the machine" is a measured figure.
 */
public final class KpuPeakThroughput {
    /** Ints per operand row: 1 KiB, resident in L1 (short, so the JIT compiles the loop within the warm-up). */
    static final int ROW = 64;

    private KpuPeakThroughput() {
    }

    /**
     * One measurement.
     *
     * @param oneCore  MAC/s of one thread
     * @param allCores MAC/s of {@code threads} threads running together
     * @param threads  how many threads ran together (the available processors)
     * @param engine   what ran the loop ("vector GEMM tile, 16 float lanes" or "scalar")
     */
    public record Result(double oneCore, double allCores, int threads, String engine) {
    }

    /** Measures for about {@code millis} ms on one core, then the same on all cores, after a warm-up until the loop runs compiled. */
    public static Result measure(int millis) {
        boolean vector = KpuConvKernel.vectorModulePresent();
        int threads = Runtime.getRuntime().availableProcessors();
        // untimed warm-up: the loop must be compiled before it is timed (interpreted vector code is ~1000× slower)
        // slices of 100 ms until the rate stops rising (at most 4 s)
        double before = 0;
        for (int slice = 0; slice < 40; slice++) {
            double r = rate(1, 100, vector);
            if (slice >= 3 && r < before * 1.05) {
                break;
            }
            before = Math.max(before, r);
        }
        double one = rate(1, millis, vector);
        double all = threads > 1 ? rate(threads, millis, vector) : one;
        String engine = vector ? "vector GEMM tile, " + KpuVectorGemm.nb() / 2 + " float lanes" : "scalar";
        return new Result(one, all, threads, engine);
    }

    /** MAC/s of {@code threads} threads each running the loop for about {@code millis} ms. */
    private static double rate(int threads, int millis, boolean vector) {
        AtomicLong macs = new AtomicLong();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        List<Thread> ts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> macs.addAndGet(spin(deadline, vector)), "int8-peak-" + t);
            th.setDaemon(true);
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return macs.get() / s;
    }

    /** Passes over the row per scalar call. */
    static final int REPEAT = 4;
    /** Taps per vector tile call. */
    static final int TAPS = 64;

    /** Runs the loop until the deadline; returns the MACs done (a sink keeps the JIT from removing it). */
    private static long spin(long deadline, boolean vector) {
        int[] a = new int[Math.max(ROW, TAPS * KpuVectorGemm.MR)];
        int[] b = new int[vector ? TAPS * KpuVectorGemm.nb() : ROW];
        int[] c = new int[vector ? KpuVectorGemm.MR * KpuVectorGemm.nb() : 1];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i * 37);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 101 + 7);
        }
        float[] fa = new float[a.length];
        float[] fb = new float[b.length];
        for (int i = 0; i < a.length; i++) {
            fa[i] = a[i] & 0xFF;
        }
        for (int i = 0; i < b.length; i++) {
            fb[i] = b[i] & 0xFF;
        }
        long perCall = vector ? (long) KpuVectorGemm.MR * KpuVectorGemm.nb() * TAPS : (long) ROW * REPEAT * 4;
        long done = 0;
        long sink = 0;
        while (System.nanoTime() < deadline) {
            for (int r = 0; r < 64; r++) {
                if (vector) {
                    // the GEMM micro-kernel itself on cache-resident panels: the kernel's own ceiling
                    KpuVectorGemm.tile(fa, 0, fb, 0, TAPS, c);
                    sink += c[r & 63];
                } else {
                    sink += scalarDot(a, b, r);
                }
            }
            done += 64 * perCall;
        }
        if (sink == 42) {
            System.out.print("");
        }
        return done;
    }

    /** The scalar form of vector tile: each element times four weights, four accumulators. */
    static int scalarDot(int[] a, int[] b, int salt) {
        int w0 = b[salt & 63];
        int w1 = b[(salt + 1) & 63];
        int w2 = b[(salt + 2) & 63];
        int w3 = b[(salt + 3) & 63];
        int s0 = 0;
        int s1 = 0;
        int s2 = 0;
        int s3 = 0;
        for (int rep = 0; rep < REPEAT; rep++) {
            for (int i = 0; i < ROW; i++) {
                int x = a[i];
                s0 += x * w0;
                s1 += x * w1;
                s2 += x * w2;
                s3 += x * w3;
            }
        }
        return s0 + s1 + s2 + s3;
    }
}
