package k210studio.converter.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.converter.train.BoardInput;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.ChannelOrder;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator over kpu-sim's batch runner: the figures do not depend on how many workers share the images, the
 * progress counts every image once up to the total, and a cancel token stops the run cleanly with figures of the
 * images done only.
 */
class BatchEvaluationTest {
    @TempDir
    static Path dir;

    static Graph graph;
    static BoardInput in;
    static EvalDataset ds;
    static Kmodel km;

    /** Ten class folders 0…9 with the fixture digit of that number, twice (22 images with a mislabelled 8 under 3). */
    @BeforeAll
    static void setUp() throws Exception {
        for (int copy = 0; copy < 2; copy++) {
            for (int d = 0; d < 10; d++) {
                Path f = Files.createDirectories(dir.resolve(String.valueOf(d)));
                Files.copy(SharedFixtures.fixture("images/digits/digit_" + d + ".png"), f.resolve("digit_" + d + "_" + copy + ".png"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(SharedFixtures.fixture("images/digits/digit_8.png"), dir.resolve("3").resolve("mislabelled_8_" + copy + ".png"));
        }
        graph = TfliteImporter.importFile(SharedFixtures.fixture("tflite/tinymaix_mnist_dw_float.tflite")).graph();
        in = new BoardInput(28, 28, 1, 0, 255, ChannelOrder.RGB);
        ds = DatasetReader.read(dir, List.of(), 10);
        K210Build b = new K210Build(CompileOptions.defaults(QuantRules.V3).withPreprocessing(0, 255), K210Build.spread(ds.images(), 32));
        km = b.compile(graph, in, null).model();
    }

    private static EvalReport run(int threads, EvalProgress p, EvalCancel cancel) throws EvaluateException {
        return Evaluator.evaluate(graph, in, km, "v3", ds, OutputDecoding.classifier(), threads, p, cancel);
    }

    @Test
    @DisplayName("one worker and two workers give the same per-image answers and figures; float top-1 is the hand count 16/22")
    void sameFiguresWhateverTheWorkers() throws Exception {
        EvalReport serial = run(1, null, null);
        EvalReport batched = run(2, null, null);
        assertThat(serial.evaluated()).isEqualTo(22);
        assertThat(serial.cancelled()).isFalse();
        // per copy: digit_3 read as 8, digit_8 read as 2, and the mislabelled 8 under 3 miss → 8 of 11 right, twice
        assertThat(serial.classifier().floatTop1()).isEqualTo(16);
        for (int i = 0; i < 22; i++) {
            ImageResult a = serial.results().get(i);
            ImageResult b = batched.results().get(i);
            assertThat(b.image()).isEqualTo(a.image());
            assertThat(b.k210Answer().scores()).containsExactly(a.k210Answer().scores());
            assertThat(b.floatAnswer().scores()).containsExactly(a.floatAnswer().scores());
        }
        ClassifierFigures s = serial.classifier();
        ClassifierFigures b = batched.classifier();
        assertThat(List.of(b.k210Top1(), b.k210Top5(), b.floatTop5(), b.agreeing())).isEqualTo(List.of(s.k210Top1(), s.k210Top5(), s.floatTop5(), s.agreeing()));
        assertThat(b.k210Confusion()).isDeepEqualTo(s.k210Confusion());
    }

    @Test
    @DisplayName("progress: the phase, 0/22 first, then every count once up to 22/22, an ETA after the first image")
    void progressCountsEveryImage() throws Exception {
        List<String> phases = new CopyOnWriteArrayList<>();
        List<int[]> counts = new CopyOnWriteArrayList<>();
        List<Double> etas = new CopyOnWriteArrayList<>();
        run(2, new EvalProgress() {
            @Override
            public void phase(String name) {
                phases.add(name);
            }

            @Override
            public void images(int done, int total, double eta) {
                counts.add(new int[] {done, total});
                etas.add(eta);
            }
        }, null);
        assertThat(phases).containsExactly("evaluating on v3");
        assertThat(counts).hasSize(23);
        for (int i = 0; i <= 22; i++) {
            assertThat(counts.get(i)).containsExactly(i, 22);
        }
        assertThat(etas.get(0)).isNaN();
        assertThat(etas.get(22)).isZero();
        assertThat(etas.subList(1, 22)).allMatch(e -> e >= 0);
        assertThat(EvalProgress.text(5, 22, 75)).isEqualTo("5/22 images (22 %), 1:15 left");
    }

    @Test
    @DisplayName("a cancel token set after 5 images: the run returns cancelled, the figures count only the images done")
    void cancelStopsCleanly() throws Exception {
        EvalCancel cancel = new EvalCancel();
        EvalReport r = run(2, new EvalProgress() {
            @Override
            public void phase(String name) {
            }

            @Override
            public void images(int done, int total, double eta) {
                if (done == 5) {
                    cancel.cancel();
                }
            }
        }, cancel);
        assertThat(r.cancelled()).isTrue();
        assertThat(r.total()).isEqualTo(22);
        // images already started finish (at most one batch of 2 × 2 workers), nothing after
        assertThat(r.evaluated()).isBetween(5, 8);
        assertThat(r.classifier().images()).isEqualTo(r.evaluated());
        assertThat(r.classifier().labelled()).isEqualTo(r.evaluated());
        assertThat(r.worst(100)).hasSize(r.evaluated());
        // the images done are the first ones, in dataset order
        for (int i = 0; i < r.evaluated(); i++) {
            assertThat(r.results().get(i)).isNotNull();
        }
        assertThat(cancel.cancel()).isFalse();
    }
}
