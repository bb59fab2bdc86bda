package k210studio.app.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import k210studio.app.StudioUi;
import k210studio.app.StudioWindow;
import k210studio.app.files.FxDialogs;
import k210studio.converter.evaluate.doctor.RankedLayer;
import k210studio.converter.evaluate.doctor.Suggestion;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Doctor tab as a user drives it: the MNIST project, 11 fixture digits, "Quantization doctor" ticked, Run; the
 * tab's chart has one bar per float layer, the list ranks the layers; selecting a "widen" suggestion and clicking
 * "Apply and re-run" evaluates again and the tab states the agreement before and after.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 300, unit = TimeUnit.SECONDS)
class EvaluateDoctorUiTest {
    @TempDir
    static Path home;

    private StudioWindow window;

    @Start
    void start(Stage stage) {
        window = StudioUi.start(stage, home, FxDialogs::new);
    }

    @Test
    void doctorTabRunSelectApply(FxRobot robot) throws Exception {
        Path set = EvaluateViewModelTest.digits(home.resolve("digits"), 1);
        EvaluateWindow ew = EvaluateWindowUiTest.openOnMnist(robot, window);
        EvaluateViewModel vm = ew.viewModel();
        robot.interact(() -> assertThat(vm.chooseDataset(set)).isNull());
        robot.clickOn("#eval-doctor");
        assertThat(vm.doctorProperty().get()).isTrue();
        robot.clickOn("#eval-run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.runningProperty().get() || vm.doctorReportProperty().get() != null);
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.errorProperty().get()).isEmpty();
        robot.interact(() -> robot.lookup("#eval-tabs").queryAs(TabPane.class).getSelectionModel().select(2));
        WaitForAsyncUtils.waitForFxEvents();
        int layers = (int) vm.doctorReportProperty().get().layers().stream().map(l -> l.layer()).distinct().count();
        assertThat(robot.lookup("#eval-doctor-chart").queryAs(ChartViewer.class).getChart().getCategoryPlot().getDataset().getColumnCount())
                .isEqualTo(layers);
        @SuppressWarnings("unchecked")
        ListView<RankedLayer> list = robot.lookup("#eval-doctor-ranking").queryAs(ListView.class);
        assertThat(list.getItems()).isNotEmpty();
        assertThat(robot.lookup("#eval-doctor-apply").queryAs(javafx.scene.control.Button.class).isDisabled()).isTrue();
        int widen = -1;
        for (int i = 0; i < list.getItems().size() && widen < 0; i++) {
            widen = list.getItems().get(i).suggestion().kind() == Suggestion.Kind.WIDEN_RANGE ? i : -1;
        }
        assertThat(widen).isNotNegative();
        int pick = widen;
        robot.interact(() -> list.getSelectionModel().select(pick));
        robot.clickOn("#eval-doctor-apply");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.runningProperty().get() || vm.doctorTextProperty().get().startsWith("Applied"));
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#eval-doctor-text").queryAs(Labeled.class).getText()).startsWith("Applied: widen the output range of")
                .contains("Top-1 agreement K210 vs float");
        // what the user saw, for a look by hand: target/evaluate-doctor.png
        robot.interact(() -> EvaluateWindowUiTest.snap(ew.stage(), Path.of("target", "evaluate-doctor.png")));
    }
}
