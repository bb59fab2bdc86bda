package k210studio.app.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import k210studio.app.StudioUi;
import k210studio.app.StudioWindow;
import k210studio.app.files.FxDialogs;
import k210studio.app.simulate.SimulatePanel;
import k210studio.app.simulate.SimulationResult;
import k210studio.converter.evaluate.EvalReport;
import k210studio.ir.project.Project;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Evaluate window as a user drives it: the MNIST model imported as the project, Run ▸ Evaluate on Dataset… on
 * 1001 fixture digits in class folders; Run shows the progress bar moving and "n/1001 images … left", Cancel stops it
 * with the figures of the images done, Run again goes to the end (figures, per-class chart, confusion matrix, worst
 * list), and a double-click on the worst image opens the Simulate view on that picture.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 300, unit = TimeUnit.SECONDS)
class EvaluateWindowUiTest {
    @TempDir
    static Path home;

    private StudioWindow window;

    @Start
    void start(Stage stage) {
        window = StudioUi.start(stage, home, FxDialogs::new);
    }

    /** The TinyMaix MNIST model in the editor, then Run ▸ Evaluate on Dataset… from the menu, as a user opens it. */
    static EvaluateWindow openOnMnist(FxRobot robot, StudioWindow window) throws Exception {
        Project mnist = EvaluateViewModelTest.mnist();
        robot.interact(() -> window.model().replace(mnist, null));
        robot.clickOn("Run");
        robot.clickOn("Evaluate on Dataset…");
        WaitForAsyncUtils.waitForFxEvents();
        return window.evaluateWindow();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Labeled.class).getText();
    }

    @Test
    void runProgressCancelRunAgainAndOpenTheWorstImageInSimulate(FxRobot robot) throws Exception {
        Path set = EvaluateViewModelTest.digits(home.resolve("digits"), 100);
        EvaluateWindow ew = openOnMnist(robot, window);
        assertThat(ew).isNotNull();
        assertThat(ew.stage().isShowing()).isTrue();
        EvaluateViewModel vm = ew.viewModel();
        robot.interact(() -> assertThat(vm.chooseDataset(set)).isNull());
        assertThat(text(robot, "#eval-dataset-summary")).startsWith("1001 images, class folders (10 classes)");

        robot.clickOn("#eval-run");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.progressProperty().get() > 0 || !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.runningProperty().get()).as("still running after the first images").isTrue();
        ProgressBar bar = robot.lookup("#eval-progress").queryAs(ProgressBar.class);
        assertThat(bar.getProgress()).isGreaterThan(0).isLessThan(1);
        assertThat(text(robot, "#eval-progress-text")).containsPattern("\\d+/1001 images \\(\\d+ %\\)");
        robot.clickOn("#eval-cancel");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        EvalReport cancelled = vm.reportProperty().get();
        assertThat(cancelled.cancelled()).isTrue();
        assertThat(cancelled.evaluated()).isLessThan(1001);
        assertThat(text(robot, "#eval-status")).startsWith("Cancelled: " + cancelled.evaluated() + " of 1001 images");

        robot.clickOn("#eval-run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.runningProperty().get());
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(text(robot, "#eval-error")).isEmpty();
        assertThat(text(robot, "#eval-status")).startsWith("Done: 1001 images");
        assertThat(bar.getProgress()).isEqualTo(1.0);
        assertThat(robot.lookup("#eval-figures").queryAs(TableView.class).getItems()).hasSize(3);
        CategoryPlot plot = robot.lookup("#eval-chart").queryAs(ChartViewer.class).getChart().getCategoryPlot();
        assertThat(plot.getDataset().getColumnCount()).isEqualTo(10);
        assertThat(plot.getDataset().getRowCount()).isEqualTo(2);
        // truth column + one per class
        assertThat(robot.lookup("#eval-confusion").queryAs(TableView.class).getColumns()).hasSize(11);

        @SuppressWarnings("unchecked")
        ListView<EvalFigures.Worst> worst = robot.lookup("#eval-worst").queryAs(ListView.class);
        assertThat(worst.getItems()).hasSize(EvalFigures.WORST);
        EvalFigures.Worst first = worst.getItems().get(0);
        ListCell<?> cell = robot.lookup("#eval-worst .list-cell").queryAllAs(ListCell.class).stream()
                .filter(c -> c.getIndex() == 0).findFirst().orElseThrow();
        robot.doubleClickOn(cell);
        WaitForAsyncUtils.waitForFxEvents();
        SimulatePanel panel = window.simulateWindow().panel();
        assertThat(window.simulateWindow().stage().isShowing()).isTrue();
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !panel.runningProperty().get() && panel.resultProperty().get() != null);
        SimulationResult r = panel.resultProperty().get();
        assertThat(panel.viewModel().currentImage()).isEqualTo(first.file().toString());
        assertThat(r.imageName()).contains(first.file().getFileName().toString());
        assertThat(r.k210Answer()).isNotNull();
        // what the user saw, for a look by hand: target/evaluate-window.png and target/evaluate-simulate.png
        robot.interact(() -> {
            snap(ew.stage(), Path.of("target", "evaluate-window.png"));
            snap(window.simulateWindow().stage(), Path.of("target", "evaluate-simulate.png"));
            robot.lookup("#eval-tabs").queryAs(javafx.scene.control.TabPane.class).getSelectionModel().select(1);
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> snap(ew.stage(), Path.of("target", "evaluate-confusion.png")));
    }

    static void snap(Stage s, Path png) {
        try {
            javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(s.getScene().snapshot(null), null), "png", png.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
