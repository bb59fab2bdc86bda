package k210studio.app.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import k210studio.app.StudioUi;
import k210studio.app.StudioWindow;
import k210studio.app.files.FxDialogs;
import k210studio.app.simulate.SimulatePanel;
import k210studio.app.simulate.SimulationResult;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Dense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Train window as a user drives it: Run → Train… on the studio's sample project, transfer learning on the
 * bundled MobileNet with a three-photo dataset; after two epochs both charts have two points per curve, Stop ends
 * the run, the trained network is in the project as one undo step (Undo restores the sample network, Redo brings
 * the training back), and the Simulate window answers with the trained classes on a picture of the dataset.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 300, unit = TimeUnit.SECONDS)
class TrainWindowUiTest {
    @TempDir
    static Path home;

    private StudioWindow window;

    @Start
    void start(Stage stage) {
        window = StudioUi.start(stage, home, FxDialogs::new);
    }

    @Test
    void twoEpochsCurvesStopUndoAndSimulate(FxRobot robot) throws Exception {
        Path data = PhotoFolders.build(home.resolve("photos"), 12, 96);
        Graph before = window.model().graph().copy();
        robot.interact(window::openTrain);
        TrainWindow tw = window.trainWindow();
        TrainViewModel vm = tw.viewModel();
        robot.interact(() -> {
            assertThat(vm.chooseDataset(data)).isNull();
            vm.epochsProperty().set(200);
            vm.learningRateProperty().set(0.01);
        });
        assertThat(robot.lookup("#train-dataset-summary").queryLabeled().getText()).contains("3 classes, 36 images");
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> vm.history().size() >= 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(tw.charts().trainLoss.getItemCount()).isGreaterThanOrEqualTo(2);
        assertThat(tw.charts().valAcc.getItemCount()).isGreaterThanOrEqualTo(2);
        assertThat(tw.charts().k210Acc.getItemCount()).isGreaterThanOrEqualTo(2);
        robot.clickOn("#train-stop");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.resultProperty().get().stopped()).isTrue();
        assertThat(robot.lookup("#train-status").queryLabeled().getText()).contains("Stopped").contains("in the project");

        Graph trained = window.model().graph().copy();
        assertThat(trained.layerNamed("predictions").params()).isEqualTo(new Dense(3, true, k210studio.ir.layer.ActivationFn.SOFTMAX));
        assertThat(window.model().settings().labels()).containsExactlyElementsOf(PhotoFolders.CLASSES);
        assertThat(window.model().history().undoDepth()).isEqualTo(1);
        robot.interact(() -> window.model().undo());
        assertThat(window.model().graph()).isEqualTo(before);
        assertThat(window.model().settings().labels()).doesNotContain("cat");
        robot.interact(() -> window.model().redo());
        assertThat(window.model().graph()).isEqualTo(trained);

        robot.interact(() -> tw.stage().hide());
        robot.interact(window::openSimulate);
        SimulatePanel panel = robot.lookup("#simulate-panel").queryAs(SimulatePanel.class);
        robot.interact(() -> {
            panel.selectImage(data.resolve("cat/cat_0.png").toString());
            panel.run();
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> panel.runningProperty().get() || panel.resultProperty().get() != null);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !panel.runningProperty().get());
        SimulationResult r = panel.resultProperty().get();
        assertThat(r).isNotNull();
        assertThat(r.floatAnswer().top().get(0).label()).isEqualTo("cat");
        assertThat(r.k210Answer().top().get(0).label()).isEqualTo("cat");
    }
}
