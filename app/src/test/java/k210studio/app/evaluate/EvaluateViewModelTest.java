package k210studio.app.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.app.files.FileKind;
import k210studio.app.files.ModelImporter;
import k210studio.converter.evaluate.EvalReport;
import k210studio.converter.evaluate.ImageResult;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.tensor.TensorShape;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Evaluate window's logic without a window, on the TinyMaix MNIST model imported as a project and class folders
 * of the fixture digits: the figures are the hand count, the progress reaches the end, the worst image goes to the
 * Simulate handler, Cancel stops a long run with figures of the images done, and every failure is a message naming
 * the cause and the fix.
 */
class EvaluateViewModelTest {
    @TempDir
    Path tmp;

    /** Folders 0…9 with {@code copies} copies of the digit of that number, plus digit_8 filed (wrongly) under 3. */
    static Path digits(Path dir, int copies) throws Exception {
        for (int d = 0; d < 10; d++) {
            Path f = Files.createDirectories(dir.resolve(String.valueOf(d)));
            for (int i = 0; i < copies; i++) {
                Files.copy(SharedFixtures.fixture("images/digits/digit_" + d + ".png"), f.resolve("digit_" + d + "_" + i + ".png"));
            }
        }
        Files.copy(SharedFixtures.fixture("images/digits/digit_8.png"), dir.resolve("3").resolve("mislabelled_8.png"));
        return dir;
    }

    static Project mnist() throws Exception {
        return new ModelImporter().importModel(SharedFixtures.fixture("tflite/tinymaix_mnist_dw_float.tflite"), FileKind.TFLITE).project();
    }

    static void await(EvaluateViewModel vm) throws InterruptedException {
        long until = System.currentTimeMillis() + 120_000;
        while (vm.runningProperty().get() && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertThat(vm.runningProperty().get()).as("the run ended").isFalse();
    }

    /**
     * 11 images; at x = pixel / 255 the float model reads digit_3 as 8 and digit_8 as 2, so float top-1 = 8/11
     * (72.73 %) and class 3 (digit_3 and the mislabelled 8) has none right. The K210 figures are re-counted from the
     * per-image answers of the report.
     */
    @Test
    @DisplayName("figures on 11 digits: float top-1 8/11, class 3 at 0 %, K210 re-counted, worst first, worst image to Simulate")
    void figuresOnDigits() throws Exception {
        Path set = digits(tmp.resolve("digits"), 1);
        Project p = mnist();
        List<EvaluateViewModel.SimulateRequest> asked = new ArrayList<>();
        EvaluateViewModel vm = new EvaluateViewModel(() -> p, Runnable::run, tmp.resolve("memory.txt"));
        vm.setSimulateHandler(asked::add);
        assertThat(vm.start()).contains("choose a dataset folder");
        assertThat(vm.chooseDataset(set)).isNull();
        assertThat(vm.summaryProperty().get()).startsWith("11 images, class folders (10 classes)");
        assertThat(vm.start()).isNull();
        await(vm);
        assertThat(vm.errorProperty().get()).isEmpty();
        EvalReport r = vm.reportProperty().get();
        assertThat(r.evaluated()).isEqualTo(11);
        assertThat(vm.progressProperty().get()).isEqualTo(1.0);
        assertThat(vm.progressTextProperty().get()).startsWith("11/11 images (100 %)");
        assertThat(vm.statusProperty().get()).startsWith("Done: 11 images");

        EvalFigures f = vm.figuresProperty().get();
        int k210Right = 0;
        int agree = 0;
        for (ImageResult i : r.results()) {
            k210Right += i.k210Top1() == i.image().label() ? 1 : 0;
            agree += i.k210Top1() == i.floatTop1() ? 1 : 0;
        }
        assertThat(f.figures().get(0)).isEqualTo(new EvalFigures.Figure("top-1 accuracy", "72.73 %", EvalFigures.pct(k210Right / 11.0)));
        assertThat(f.figures().get(2).k210Value()).isEqualTo(EvalFigures.pct(agree / 11.0) + " (" + agree + "/11)");
        assertThat(f.classes()).hasSize(10);
        EvalFigures.ClassRow three = f.classes().get(3);
        assertThat(three.name()).isEqualTo("3");
        assertThat(three.images()).isEqualTo(2);
        assertThat(three.floatAccuracy()).isZero();
        assertThat(f.confusionClasses()).hasSize(10);
        assertThat(f.confusion().get(3).counts().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
        assertThat(ClassChart.dataset(f.classes()).getValue(ClassChart.FLOAT, "3").doubleValue()).isZero();
        assertThat(ClassChart.dataset(f.classes()).getValue(ClassChart.FLOAT, "0").doubleValue()).isEqualTo(100.0);

        assertThat(vm.worst()).hasSize(11);
        for (int i = 1; i < vm.worst().size(); i++) {
            assertThat(vm.worst().get(i).disagreement()).isLessThanOrEqualTo(vm.worst().get(i - 1).disagreement());
        }
        vm.openInSimulate(vm.worst().get(0));
        assertThat(asked).containsExactly(new EvaluateViewModel.SimulateRequest(vm.worst().get(0).file(), EvaluateViewModel.Source.V3, null));
        assertThat(Files.exists(vm.worst().get(0).file())).isTrue();

        // the same V3 build written to a .kmodel file and evaluated as a file: the same K210 answers, and Simulate gets the file
        EvalSetup setup = EvalSetup.of(p);
        var ds = setup.dataset(set);
        byte[] bytes = new k210studio.converter.evaluate.K210Build(k210studio.converter.compile.CompileOptions.defaults(
                k210studio.converter.quant.QuantRules.V3).withPreprocessing(setup.input().mean(), setup.input().std()),
                k210studio.converter.evaluate.K210Build.spread(ds.images(), 32)).compile(p.graph(), setup.input(), null).kmodel();
        Path file = Files.write(tmp.resolve("mnist.kmodel"), bytes);
        vm.chooseKmodel(file);
        assertThat(vm.sourceProperty().get()).isEqualTo(EvaluateViewModel.Source.KMODEL);
        assertThat(vm.start()).isNull();
        await(vm);
        EvalReport fromFile = vm.reportProperty().get();
        assertThat(fromFile.target()).isEqualTo("v3");
        for (int i = 0; i < 11; i++) {
            assertThat(fromFile.results().get(i).k210Answer().scores()).containsExactly(r.results().get(i).k210Answer().scores());
        }
        vm.openInSimulate(vm.worst().get(0));
        assertThat(asked.get(1)).isEqualTo(new EvaluateViewModel.SimulateRequest(vm.worst().get(0).file(), EvaluateViewModel.Source.KMODEL, file));

        // the folder is remembered for the next window
        EvaluateViewModel again = new EvaluateViewModel(() -> p, Runnable::run, tmp.resolve("memory.txt"));
        assertThat(again.datasetProperty().get()).isEqualTo(set.toAbsolutePath());
        assertThat(again.initialFolder()).isEqualTo(set.toAbsolutePath());
    }

    @Test
    @DisplayName("Cancel during a 301-image run: the run ends cancelled with figures of the images done; a second run goes to the end")
    void cancelThenRunToTheEnd() throws Exception {
        Path set = digits(tmp.resolve("many"), 30);
        Project p = mnist();
        EvaluateViewModel vm = new EvaluateViewModel(() -> p, Runnable::run, null);
        assertThat(vm.chooseDataset(set)).isNull();
        assertThat(vm.start()).isNull();
        long until = System.currentTimeMillis() + 60_000;
        while (vm.progressProperty().get() <= 0 && vm.runningProperty().get() && System.currentTimeMillis() < until) {
            Thread.sleep(5);
        }
        vm.cancel();
        await(vm);
        EvalReport r = vm.reportProperty().get();
        assertThat(r.cancelled()).isTrue();
        assertThat(r.evaluated()).isPositive().isLessThan(301);
        assertThat(r.classifier().images()).isEqualTo(r.evaluated());
        assertThat(vm.statusProperty().get()).isEqualTo("Cancelled: " + r.evaluated() + " of 301 images evaluated (the figures count those).");
        assertThat(vm.worst()).hasSize(Math.min(EvalFigures.WORST, r.evaluated()));

        vm.sourceProperty().set(EvaluateViewModel.Source.V4);
        assertThat(vm.start()).isNull();
        await(vm);
        assertThat(vm.reportProperty().get().cancelled()).isFalse();
        assertThat(vm.reportProperty().get().evaluated()).isEqualTo(301);
        assertThat(vm.reportProperty().get().target()).isEqualTo("v4");
    }

    /**
     * The Ultra-Light face detector on face.jpg for V4: first without boxes (agreement only), then with a
     * VOC file holding the float model's own reported boxes as the truth — so float mAP@0.5 is 100 % by construction,
     * and the K210 mAP and box agreement shown are the report's detector figures.
     */
    @Test
    @DisplayName("a detector: unlabelled, then VOC boxes from the float answer: float mAP 100 %, K210 mAP and box agreement as reported")
    void detectorFigures() throws Exception {
        Project face = new ModelImporter().importModel(SharedFixtures.fixture("tflite/nncase_ulffd_landmark.tflite"), FileKind.TFLITE).project();
        Project p = new Project(face.graph(), face.settings().withTarget("V4").withPreprocessing(
                new k210studio.ir.project.Preprocessing(List.of(0.5f), List.of(1f), k210studio.ir.project.ChannelOrder.RGB, 1 / 255f)));
        Path set = Files.createDirectories(tmp.resolve("faces"));
        Files.copy(SharedFixtures.fixture("images/face.jpg"), set.resolve("face.jpg"));
        EvaluateViewModel vm = new EvaluateViewModel(() -> p, Runnable::run, null);
        // the project's target is the one compiled for
        assertThat(vm.sourceProperty().get()).isEqualTo(EvaluateViewModel.Source.V4);
        assertThat(vm.chooseDataset(set)).isNull();
        assertThat(vm.summaryProperty().get()).startsWith("1 images, unlabelled");
        vm.start();
        await(vm);
        assertThat(vm.errorProperty().get()).isEmpty();
        EvalReport unlabelled = vm.reportProperty().get();
        assertThat(unlabelled.decoding().kind().id()).isEqualTo("ultraface");
        List<k210studio.kpu.post.Detection> truth = unlabelled.decoding().reported(unlabelled.results().get(0).floatBoxes());
        assertThat(truth).isNotEmpty();
        StringBuilder xml = new StringBuilder("<annotation>");
        for (var d : truth) {
            xml.append(String.format(java.util.Locale.ROOT, "<object><name>face</name><difficult>0</difficult><bndbox><xmin>%d</xmin>"
                    + "<ymin>%d</ymin><xmax>%d</xmax><ymax>%d</ymax></bndbox></object>", Math.round(d.x()) + 1, Math.round(d.y()) + 1,
                    Math.round(d.x() + d.w()), Math.round(d.y() + d.h())));
        }
        Files.writeString(set.resolve("face.xml"), xml.append("</annotation>").toString());
        assertThat(vm.chooseDataset(set)).isNull();
        assertThat(vm.summaryProperty().get()).startsWith("1 images, boxes");
        vm.start();
        await(vm);
        EvalReport r = vm.reportProperty().get();
        var d = r.detector();
        assertThat(d.truths()).isEqualTo(truth.size());
        assertThat(d.floatMap()).isEqualTo(1.0);
        EvalFigures f = vm.figuresProperty().get();
        assertThat(f.figures()).extracting(EvalFigures.Figure::name).containsExactly("mAP@0.5 (" + truth.size() + " labelled boxes)", "box agreement K210 vs float");
        assertThat(f.figures().get(0).floatValue()).isEqualTo("100.00 %");
        assertThat(f.figures().get(0).k210Value()).isEqualTo(EvalFigures.pct(d.k210Map()));
        assertThat(f.figures().get(1).k210Value()).startsWith(EvalFigures.pct(d.boxAgreement()) + " (" + d.matched() + " matched");
        assertThat(f.classes()).isEmpty();
        assertThat(vm.worst()).singleElement().satisfies(w -> assertThat(w.detail()).startsWith(truth.size() + " float box(es), "));
    }

    @Test
    @DisplayName("failures are messages with the cause and the fix: empty folder, unreadable image, not a kmodel, a network V3 cannot compile")
    void errorsNameCauseAndFix() throws Exception {
        Project p = mnist();
        EvaluateViewModel vm = new EvaluateViewModel(() -> p, Runnable::run, null);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(vm.chooseDataset(empty)).contains("holds no images");
        assertThat(vm.start()).isNull();
        await(vm);
        assertThat(vm.errorProperty().get()).startsWith("Cannot evaluate: ").contains("holds no images");

        Path set = digits(tmp.resolve("broken"), 1);
        Files.writeString(set.resolve("5").resolve("broken.png"), "not a picture");
        vm.chooseDataset(set);
        vm.start();
        await(vm);
        assertThat(vm.errorProperty().get()).contains("broken.png").contains("remove it from the dataset or convert it");
        Files.delete(set.resolve("5").resolve("broken.png"));

        Path notKmodel = Files.writeString(tmp.resolve("x.kmodel"), "hello");
        vm.chooseKmodel(notKmodel);
        vm.start();
        await(vm);
        assertThat(vm.errorProperty().get()).contains("x.kmodel is not a kmodel").contains("choose a V3 or V4 .kmodel");

        // a ReLU after an Add: kmodel V3 cannot run it
        Graph g = new Graph("add-relu");
        String x = g.add("input_1", new Input(TensorShape.hwc(28, 28, 1)));
        String a = g.add("conv_a", new Conv2D(8, 3, 3, 2, 2, Padding.SAME, 1, 1, true, ActivationFn.LINEAR), x);
        String b = g.add("conv_b", new Conv2D(8, 3, 3, 2, 2, Padding.SAME, 1, 1, true, ActivationFn.LINEAR), x);
        String s = g.add("sum", new Add(), a, b);
        String y = g.add("relu", new ReLU(null, 0f, 0f), s);
        y = g.add("gap", new GlobalAveragePooling2D(false), y);
        g.add("dense", new Dense(10, true, ActivationFn.SOFTMAX), y);
        Project bad = new Project(k210studio.converter.train.WeightInit.complete(g, 1), p.settings().withName("add-relu"));
        EvaluateViewModel vb = new EvaluateViewModel(() -> bad, Runnable::run, null);
        vb.chooseDataset(set);
        vb.start();
        await(vb);
        assertThat(vb.errorProperty().get()).contains("does not compile for V3").contains("Fix All for Current Target");
        assertThat(vb.runningProperty().get()).isFalse();
    }
}
