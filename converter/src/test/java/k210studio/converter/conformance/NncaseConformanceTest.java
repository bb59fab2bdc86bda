package k210studio.converter.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Conformance with nncase v0.2.0-beta4's own runtime (issue 12): every V4 kmodel we read (the fixtures) and every V4
 * kmodel our compiler writes (from every fixture model, bundled sample project and template that compiles for V4)
 * runs in nncase's C++ runtime (built once per test run by {@link NncaseOracle}) and in kpu-sim on the same input
 * bytes — real images laid out as kpu-sim's MaixPy-style input, real vectors for float models — and every output is
 * bit-identical (float32 bit patterns, raw bytes). On a difference, both runs are repeated with a per-node dump and the
 * failure names the first node whose output differs (index, opcode, element, both values). Run it alone with
 * {@code mvn -B -ntp -pl converter -am test -Dtest='NncaseConformance*' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class NncaseConformanceTest {
    private static final AtomicInteger FILES = new AtomicInteger();
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final AtomicInteger OUTPUTS = new AtomicInteger();
    private static final AtomicInteger IDENTICAL = new AtomicInteger();
    private static final List<String> CHECKED = Collections.synchronizedList(new ArrayList<>());
    private static final List<String> SKIPPED = Collections.synchronizedList(new ArrayList<>());
    private static final long START = System.nanoTime();

    @TestFactory
    Stream<DynamicTest> fixtureKmodelsRunBitIdenticallyInNncase() throws IOException {
        List<Path> files = ConformanceCorpus.fixtureKmodels();
        // the fixtures hold 4 nncase-built V4 files in kmodel/v4 and one in pairs: never check none
        assertThat(files).as("V4 fixture kmodels").hasSizeGreaterThanOrEqualTo(5);
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getParent().getFileName() + "/" + p.getFileName(),
                () -> check(p.getParent().getFileName() + "/" + p.getFileName(), Files.readAllBytes(p), 0f, 255f)));
    }

    @TestFactory
    Stream<DynamicTest> compiledV4KmodelsRunBitIdenticallyInNncase() throws IOException {
        List<ConformanceCorpus.Source> sources = ConformanceCorpus.sources();
        assertThat(sources).as("models to compile").hasSizeGreaterThanOrEqualTo(10);
        for (String same : ConformanceCorpus.templatesSameAsSamples()) {
            System.out.println("conformance: template " + same + " (compiled once, as the sample)");
        }
        return sources.stream().map(s -> DynamicTest.dynamicTest(s.name() + " compiled for V4", () -> {
            ConformanceCorpus.Compiled c;
            try {
                c = ConformanceCorpus.compileV4(s);
            } catch (ConformanceCorpus.Skip e) {
                SKIPPED.add(s.name() + ": " + e.getMessage());
                Assumptions.abort("does not compile for V4: " + e.getMessage());
                return;
            }
            check(s.name() + " (compiled)", c.kmodel(), c.mean(), c.std());
        }));
    }

    /** Runs the file on its real inputs in both runtimes and asserts every output bit-identical. */
    private static void check(String name, byte[] bytes, float mean, float std) throws Exception {
        NncaseOracle oracle = NncaseOracle.get();
        Kmodel model = KmodelFiles.read(bytes);
        assertThat(model.version()).as(name + " kmodel version").isEqualTo(4);
        Path file = oracle.keep(name, bytes);
        List<ConformanceInputs.Sample> samples = ConformanceInputs.forKmodel(model.inputs().get(0), mean, std);
        assertThat(samples).as(name + " inputs").hasSizeGreaterThanOrEqualTo(2);
        List<String> problems = new ArrayList<>();
        int identical = 0;
        int outputs = 0;
        for (ConformanceInputs.Sample s : samples) {
            byte[] input = s.tensor().bytes();
            NncaseOracle.Run theirs = oracle.run(file, input, false);
            assertThat(theirs.ok()).as("%s on %s: nncase's runtime must load and run it (exit %d)\n%s", name, s.name(),
                    theirs.exitCode(), theirs.stderr()).isTrue();
            RunResult ours = model.run(s.tensor(), RunOptions.defaults());
            RUNS.incrementAndGet();
            assertThat(theirs.outputs()).as(name + " output count").hasSize(ours.outputs().size());
            boolean differs = false;
            for (int i = 0; i < ours.outputs().size(); i++) {
                outputs++;
                boolean f32 = model.outputs().get(i).type() == ElementType.FLOAT32;
                String d = FirstDifference.outputDifference(theirs.outputs().get(i), ours.output(i).bytes(), f32);
                if (d.equals("identical")) {
                    identical++;
                } else {
                    differs = true;
                    problems.add(String.format(Locale.ROOT, "%s on %s, output %d: %s", name, s.name(), i, d));
                }
            }
            if (differs) {
                NncaseOracle.Run dumped = oracle.run(file, input, true);
                RunResult traced = model.run(s.tensor(), RunOptions.defaults().withTraceOutputs(true));
                problems.add("  first differing node: " + FirstDifference.find(dumped.nodes(), traced.layers()));
            }
        }
        FILES.incrementAndGet();
        OUTPUTS.addAndGet(outputs);
        IDENTICAL.addAndGet(identical);
        CHECKED.add(String.format(Locale.ROOT, "%s: %d nodes, %d runs, %d/%d outputs bit-identical", name, model.layerCount(),
                samples.size(), identical, outputs));
        assertThat(problems).as("%s: outputs of nncase v0.2.0-beta4's runtime and kpu-sim (kept at %s)", name, file).isEmpty();
    }

    @AfterAll
    static void summary() {
        synchronized (CHECKED) {
            CHECKED.forEach(c -> System.out.println("conformance: checked " + c));
        }
        synchronized (SKIPPED) {
            SKIPPED.forEach(s -> System.out.println("conformance: skipped " + s));
        }
        System.out.printf(Locale.ROOT, "conformance: %d kmodels, %d runs, %d of %d outputs bit-identical (%d models skipped; %.1f s)%n",
                FILES.get(), RUNS.get(), IDENTICAL.get(), OUTPUTS.get(), SKIPPED.size(), (System.nanoTime() - START) / 1e9);
    }
}
