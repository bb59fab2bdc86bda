package k210studio.ir.rules;

import java.util.Locale;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.TensorShape;

/**
 * Benchmark (run by hand, never asserted): how long {@link K210Checker#check} takes on a
 * 300-layer graph (50 residual blocks of conv-BN-ReLU-conv-BN-Add-ReLU on 60×80×32) and on the
 * brief's network. The studio runs the checker after every edit, so this should stay well below
 * a frame (16 ms).
 * <pre>java -cp ir/target/classes:ir/target/test-classes:&lt;jackson jars&gt; k210studio.ir.rules.CheckerBenchmark</pre>
 */
public final class CheckerBenchmark {
    private CheckerBenchmark() {
    }

    static Graph residual(int blocks) {
        Graph g = new Graph("bench");
        String x = g.add("input_1", new Input(TensorShape.hwc(60, 80, 32)));
        for (int b = 0; b < blocks; b++) {
            String c1 = g.add("conv2d", Conv2D.of(32, 3, 1, Padding.SAME), x);
            String n1 = g.add("batch_normalization", BatchNormalization.keras(), c1);
            String r1 = g.add("re_lu", ReLU.plain(), n1);
            String c2 = g.add("conv2d", Conv2D.of(32, 3, 1, Padding.SAME), r1);
            String n2 = g.add("batch_normalization", BatchNormalization.keras(), c2);
            String add = g.add("add", new Add(), x, n2);
            x = g.add("re_lu", ReLU.plain(), add);
        }
        return g;
    }

    public static void main(String[] args) {
        Graph big = residual(43); // 1 + 43·7 = 302 layers
        Graph brief = BriefNetworks.brief();
        for (int i = 0; i < 30; i++) {
            K210Checker.check(big);
            K210Checker.check(brief);
        }
        int runs = 200;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            K210Checker.check(big);
        }
        long t1 = System.nanoTime();
        long c1 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < runs; i++) {
            K210Checker.check(brief);
        }
        long t2 = System.nanoTime();
        long c2 = mx.getCurrentThreadCpuTime();
        System.out.printf(Locale.ROOT, "K210Checker.check: %d-layer residual graph %.3f ms/check wall, %.3f ms CPU; "
                        + "brief network (%d layers) %.3f ms wall, %.3f ms CPU (%d runs each)%n",
                big.size(), (t1 - t0) / 1e6 / runs, (c1 - c0) / 1e6 / runs, brief.size(), (t2 - t1) / 1e6 / runs, (c2 - c1) / 1e6 / runs, runs);
    }
}
