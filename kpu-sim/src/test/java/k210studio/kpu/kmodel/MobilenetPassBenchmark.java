package k210studio.kpu.kmodel;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import k210studio.testing.SharedFixtures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one simulated pass of the V3 MobileNet v1 0.75 224 fixture (the figure issue 13 sets at ≤ 10 ms),
 * on the parallel KPU like {@code k210 bench}. Not a test: {@code mvn verify} never runs it. From the repo root:
 * <pre>
 * mvn -B -ntp -q -pl kpu-sim -am test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.cp
 * java --add-modules jdk.incubator.vector -cp kpu-sim/target/test-classes:kpu-sim/target/classes:ir/target/test-classes:$(cat kpu-sim/target/jmh.cp) \
 *     org.openjdk.jmh.Main MobilenetPassBenchmark
 * </pre>
 * (fixtures from ../shared as in the tests; the forked JVM inherits --add-modules through {@link Fork#jvmArgsAppend}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--add-modules", "jdk.incubator.vector"})
public class MobilenetPassBenchmark {
    private KmodelRuntime runtime;
    private List<KmodelTensor> input;

    @Setup
    public void load() throws Exception {
        Kmodel m = KmodelFiles.read(SharedFixtures.fixture("kmodel/v3/mobilenet_v1_0.75_1000cls.kmodel"));
        TensorDescription d = m.inputs().get(0);
        byte[] b = new byte[(int) d.elementCount() * d.type().byteSize()];
        new Random(210).nextBytes(b);
        input = List.of(KmodelTensor.ofBytes(d.type(), d.shape().stream().mapToInt(Integer::intValue).toArray(), b));
        runtime = m.newRuntime(RunOptions.defaults());
    }

    @Benchmark
    public RunResult mobilenetV3Pass() throws KmodelFormatException {
        return runtime.run(input);
    }
}
