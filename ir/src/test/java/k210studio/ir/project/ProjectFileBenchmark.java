package k210studio.ir.project;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.samples.SampleNetworks;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Benchmark (run by hand, never asserted): save (atomic, with fsync) and load times of the brief's
 * network (~370 k weights) and of a 300-layer graph with 9 M float weights (~36 MB).
 * <pre>java -cp ir/target/classes:ir/target/test-classes:&lt;jackson jars&gt; k210studio.ir.project.ProjectFileBenchmark</pre>
 */
public final class ProjectFileBenchmark {
    private ProjectFileBenchmark() {
    }

    static Graph big() {
        Graph g = new Graph("big");
        String x = g.add("input_1", new Input(TensorShape.hwc(64, 64, 64)));
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 300; i++) {
            float[] k = new float[3 * 3 * 64 * 52];
            for (int j = 0; j < k.length; j++) {
                k[j] = (float) r.nextGaussian();
            }
            x = g.add("conv2d", Conv2D.of(52, 3, 1, Padding.SAME).withKernel(3, 3),
                    java.util.Map.of("kernel", new Tensor(new int[] {3, 3, 64, 52}, k)), x);
        }
        return g;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("k210bench");
        run("brief_two_class", SampleNetworks.briefTwoClassProject(), dir, 20);
        run("300 convs, 9 M weights", Project.of(big()), dir, 5);
    }

    private static void run(String what, Project p, Path dir, int runs) throws Exception {
        Path f = dir.resolve("b" + ProjectFile.EXTENSION);
        for (int i = 0; i < 3; i++) {
            ProjectFile.save(p, f);
            ProjectFile.load(f);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            ProjectFile.save(p, f);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            ProjectFile.load(f);
        }
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "%s: %d layers, file %.2f MB; save %.1f ms, load %.1f ms (mean of %d)%n", what,
                p.graph().size(), Files.size(f) / 1e6, (t1 - t0) / 1e6 / runs, (t2 - t1) / 1e6 / runs, runs);
        Files.deleteIfExists(f);
    }
}
