package k210studio.app.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import k210studio.converter.compile.CompileReport;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.project.Project;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.samples.SampleNetworks;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The export wizard walked through its buttons, headless: the sample exports a kmodel that kpu-sim loads and runs,
 * with labels.txt and boot.py, and the memory charts show exactly the compiler's report; a network whose KPU maps
 * exceed 2 MiB stops on the memory page with the layer named and its bar red.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 300, unit = TimeUnit.SECONDS)
class ExportWizardUiTest {
    @TempDir
    Path out;

    private Stage stage;
    private final List<String> errors = new ArrayList<>();

    @Start
    void start(Stage s) {
        stage = s;
    }

    private ExportWizard open(FxRobot robot, Project p) {
        ExportWizard[] w = new ExportWizard[1];
        robot.interact(() -> {
            w[0] = new ExportWizard(p, null);
            w[0].setErrorHandler((t, m) -> errors.add(t + ": " + m));
            w[0].show();
        });
        return w[0];
    }

    private static void waitIdle(ExportWizard w) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> !w.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void walkingTheWizardOnTheSampleWritesAKmodelThatRunsAndChartsEqualTheReport(FxRobot robot) throws Exception {
        Project p = SampleNetworks.briefTwoClassProject();
        ExportWizard w = open(robot, p);
        assertThat(w.pageProperty().get()).isEqualTo(ExportWizard.TARGET);
        assertThat(robot.lookup("#export-verdicts-v3").queryAs(Label.class).getText()).contains("converts");
        robot.clickOn("#export-v3");
        robot.clickOn("#export-next");
        assertThat(w.pageProperty().get()).isEqualTo(ExportWizard.CALIBRATION);
        robot.clickOn("#export-next");
        assertThat(w.pageProperty().get()).isEqualTo(ExportWizard.QUANTIZATION);
        robot.clickOn("#export-next");
        assertThat(w.pageProperty().get()).isEqualTo(ExportWizard.MEMORY);
        waitIdle(w);
        assertThat(errors).isEmpty();
        assertThat(w.compiled()).isNotNull();
        CompileReport r = w.compiled().report();

        // the per-step chart: one column per compiled step, input/output = the report's KPU accesses
        CategoryDataset per = w.perLayerChart().getChart().getCategoryPlot().getDataset();
        assertThat(per.getColumnCount()).isEqualTo(r.steps().size());
        for (CompileReport.Step s : r.steps()) {
            String key = MemoryChartData.stepKey(s);
            assertThat(per.getValue(MemoryChartData.INPUT, key).longValue())
                    .isEqualTo(s.inputs().stream().filter(a -> a.memory().equals("kpu")).mapToLong(CompileReport.Access::bytes).sum());
            assertThat(per.getValue(MemoryChartData.OUTPUT, key).longValue())
                    .isEqualTo(s.outputs().stream().filter(a -> a.memory().equals("kpu")).mapToLong(CompileReport.Access::bytes).sum());
        }
        // the timeline: one rectangle per KPU buffer of the report (steps × addresses); the line: live bytes per step
        IntervalXYDataset tl = (IntervalXYDataset) w.timelineChart().getChart().getXYPlot().getDataset(0);
        assertThat(tl.getItemCount(0)).isEqualTo(r.kpuBuffers().size());
        for (int i = 0; i < r.kpuBuffers().size(); i++) {
            CompileReport.Buffer b = r.kpuBuffers().get(i);
            assertThat(tl.getStartXValue(0, i)).isEqualTo(b.firstStep());
            assertThat(tl.getEndXValue(0, i)).isEqualTo(b.lastStep() + 1);
            assertThat(tl.getStartYValue(0, i)).isEqualTo(b.address());
            assertThat(tl.getEndYValue(0, i)).isEqualTo(b.address() + b.bytes());
        }
        var live = w.timelineChart().getChart().getXYPlot().getDataset(1);
        for (CompileReport.Step s : r.steps()) {
            assertThat(live.getYValue(0, s.index())).isEqualTo(s.kpuLiveBytes());
        }
        long peak = 0;
        for (int i = 0; i < live.getItemCount(0); i++) {
            peak = Math.max(peak, (long) live.getYValue(0, i));
        }
        assertThat(peak).isEqualTo(r.kpuPeakBytes());
        // main RAM: one stacked bar, the kmodel file split into weights, tables and the rest, then the report's main buffers
        CategoryDataset main = w.mainRamChart().getChart().getCategoryPlot().getDataset();
        long weights = main.getValue(MemoryChartData.WEIGHTS, MemoryChartData.MAIN).longValue();
        long tables = main.getValue(MemoryChartData.TABLES, MemoryChartData.MAIN).longValue();
        long rest = main.getValue(MemoryChartData.KMODEL_REST, MemoryChartData.MAIN).longValue();
        assertThat(weights).isPositive();
        assertThat(tables).isPositive();
        assertThat(rest).isPositive();
        assertThat(weights + tables + rest).isEqualTo(r.fileBytes()).isEqualTo(w.compiled().kmodel().length);
        assertThat(main.getValue(MemoryChartData.BUFFERS, MemoryChartData.MAIN).longValue()).isEqualTo(r.mainBytes());
        assertThat(w.chartData().mainTotal()).isEqualTo(r.fileBytes() + r.mainBytes());
        // readable at the default size: one horizontal row per step, tall enough for its name; the legend lists what is drawn
        var perPlot = w.perLayerChart().getChart().getCategoryPlot();
        assertThat(perPlot.getOrientation()).isEqualTo(org.jfree.chart.plot.PlotOrientation.HORIZONTAL);
        assertThat(w.perLayerChart().getPrefHeight()).isGreaterThanOrEqualTo(r.steps().size() * MemoryCharts.ROW_PX);
        assertThat(perPlot.getLegendItems().getItemCount()).isEqualTo(2);
        assertThat(w.mainRamChart().getChart().getCategoryPlot().getOrientation()).isEqualTo(org.jfree.chart.plot.PlotOrientation.HORIZONTAL);
        assertThat(w.chartData().budgetBytes()).isEqualTo(MemoryBudget.MAIXPY_MINIMUM.bytes());
        robot.interact(() -> w.setBudget(MemoryBudget.BARE_SDK));
        waitIdle(w);
        assertThat(w.chartData().budgetBytes()).isEqualTo(MemoryBudget.BARE_SDK.bytes());
        assertThat(w.nextEnabled()).isTrue();

        robot.clickOn("#export-next");
        assertThat(w.pageProperty().get()).isEqualTo(ExportWizard.WRITE);
        robot.interact(() -> w.setOutputFolder(out));
        robot.clickOn("#export-next"); // Write
        waitIdle(w);
        assertThat(errors).isEmpty();
        assertThat(w.written()).isNotNull();
        byte[] bytes = Files.readAllBytes(w.written().kmodel());
        assertThat(bytes).isEqualTo(w.compiled().kmodel());
        assertThat(Files.readAllLines(w.written().labels())).containsExactly("negative", "positive");
        String script = Files.readString(w.written().script());
        assertThat(script).contains("kpu.load('/sd/" + w.written().kmodel().getFileName() + "')").contains("img.pix_to_ai()")
                .contains("set_windowing((320, 240))").doesNotContain("set_outputs");
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        // kpu-sim loads the written file and runs it: 2 softmax outputs
        Kmodel m = KmodelFiles.read(w.written().kmodel());
        assertThat(m.version()).isEqualTo(3);
        RunResult rr = m.run(KmodelTensor.ofUint8(new int[] {3, 240, 320}, new byte[3 * 240 * 320]), RunOptions.defaults());
        float[] o = rr.output(0).toFloatArray();
        assertThat(o).hasSize(2);
        assertThat(o[0] + o[1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-3f));
        robot.clickOn("#export-next"); // Finish
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aNetworkThatDoesNotFitStopsOnTheMemoryPageNamingTheLayer(FxRobot robot) throws Exception {
        Graph g = new Graph("too_big");
        Random rnd = new Random(1);
        String in = g.add("image", new Input(TensorShape.hwc(240, 320, 3)));
        String c1 = g.add("wide_conv", Conv2D.of(32, 3, 1, Padding.SAME), Map.of("kernel", Tensor.gaussian(rnd, 0.1, 3, 3, 3, 32), "bias", Tensor.gaussian(rnd, 0.1, 32)), in);
        String gap = g.add("gap", new GlobalAveragePooling2D(false), c1);
        g.add("dense", new Dense(2, true, k210studio.ir.layer.ActivationFn.LINEAR), Map.of("kernel", Tensor.gaussian(rnd, 0.1, 32, 2), "bias", Tensor.gaussian(rnd, 0.1, 2)), gap);
        Project p = new Project(g, SampleNetworks.briefTwoClassProject().settings().withName("Too big"));
        ExportWizard w = open(robot, p);
        robot.clickOn("#export-next");
        robot.clickOn("#export-next");
        robot.clickOn("#export-next");
        waitIdle(w);
        assertThat(w.pageProperty().get()).isEqualTo(ExportWizard.MEMORY);
        assertThat(w.compiled()).isNull();
        assertThat(w.failure()).isNotNull();
        assertThat(w.failure().layerName()).isEqualTo("wide_conv");
        assertThat(errors).singleElement().asString().contains("wide_conv");
        assertThat(robot.lookup("#export-memory-message").queryAs(Label.class).getText()).contains("wide_conv");
        // the guilty layer's bar is red, the wizard cannot go on
        assertThat(w.guiltyColumns()).anySatisfy(k -> assertThat(k).contains("wide_conv"));
        CategoryDataset per = w.perLayerChart().getChart().getCategoryPlot().getDataset();
        String key = w.guiltyColumns().iterator().next();
        assertThat(per.getValue(MemoryChartData.INPUT, key).longValue() + per.getValue(MemoryChartData.OUTPUT, key).longValue())
                .isGreaterThan(MemoryChartData.KPU_RAM_BYTES);
        assertThat(w.nextEnabled()).isFalse();
        // the red rows have a legend entry of their own
        var legend = w.perLayerChart().getChart().getCategoryPlot().getLegendItems();
        assertThat(legend.getItemCount()).isEqualTo(3);
        assertThat(legend.get(2).getLabel()).startsWith("does not fit");
        robot.clickOn("#export-next");
        assertThat(w.pageProperty().get()).isEqualTo(ExportWizard.MEMORY);
    }

    @Test
    void aProjectWithoutLabelsGetsNoLabelsTxtAndIsToldSoAndFilesAreReadableByAll(FxRobot robot) throws Exception {
        Project p = SampleNetworks.briefTwoClassProject();
        p = p.withSettings(p.settings().withLabels(List.of()));
        ExportWizard w = open(robot, p);
        robot.interact(() -> {
            w.next();
            w.next();
            w.next();
        });
        waitIdle(w);
        robot.clickOn("#export-next");
        assertThat(w.pageProperty().get()).isEqualTo(ExportWizard.WRITE);
        assertThat(robot.lookup("#export-write-plan").queryAs(Label.class).getText()).contains("no labels.txt").doesNotContain("labels.txt (");
        robot.interact(() -> w.setOutputFolder(out));
        robot.clickOn("#export-next");
        waitIdle(w);
        assertThat(errors).isEmpty();
        assertThat(w.written().labels()).isNull();
        assertThat(Files.exists(out.resolve("labels.txt"))).isFalse();
        assertThat(robot.lookup("#export-write-result").queryAs(Label.class).getText()).contains("No labels.txt");
        assertThat(Files.readString(w.written().script())).doesNotContain("labels.txt");
        // ordinary permissions: those of any file created here (the umask's, rw-r--r-- by default), not a temporary file's
        // owner-only rw-------
        Path probe = Files.writeString(out.resolve("probe.txt"), "x");
        for (Path f : List.of(w.written().kmodel(), w.written().script())) {
            assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).isEqualTo(Files.getPosixFilePermissions(probe));
        }
    }

    @Test
    void cancelStopsTheCompileAndStaysOnTheMemoryPage(FxRobot robot) throws Exception {
        ExportWizard w = open(robot, SampleNetworks.briefTwoClassProject());
        robot.interact(() -> {
            w.next();
            w.next();
            w.next();
            w.cancel();
        });
        waitIdle(w);
        assertThat(w.pageProperty().get()).isEqualTo(ExportWizard.MEMORY);
        assertThat(w.compiled()).isNull();
        assertThat(w.failure()).isNull();
        assertThat(errors).isEmpty();
        assertThat(w.stage().isShowing()).isTrue();
        assertThat(w.nextEnabled()).isFalse();
        // Back, then Next compiles again
        robot.clickOn("#export-back");
        robot.clickOn("#export-next");
        waitIdle(w);
        assertThat(w.compiled()).isNotNull();
        assertThat(w.nextEnabled()).isTrue();
    }
}
