package k210studio.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import javafx.stage.Window;
import k210studio.app.StudioUi;
import k210studio.app.StudioWindow;
import k210studio.app.files.FxDialogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The studio window's toolbar opens the Simulate window on the editor's project and the export wizard. */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
class StudioRunMenuUiTest {
    @TempDir
    static Path home;

    private StudioWindow window;

    @Start
    void start(Stage stage) {
        window = StudioUi.start(stage, home, FxDialogs::new);
    }

    @Test
    void toolbarButtonsOpenSimulateOnTheEditorsProjectAndTheExportWizard(FxRobot robot) {
        robot.clickOn("#tb-simulate");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#simulate-panel").tryQuery()).isPresent();
        assertThat(robot.lookup("#sim-mode").queryLabeled().getText()).contains(window.model().project().settings().name());
        // the Simulate window lies over the studio's toolbar: close it, then open the wizard
        robot.interact(() -> robot.lookup("#simulate-panel").query().getScene().getWindow().hide());
        robot.clickOn("#tb-export");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Window.getWindows().stream().filter(w -> w instanceof Stage s && s.getTitle() != null && s.getTitle().startsWith("Export to K210")))
                .hasSize(1);
        assertThat(robot.lookup("#export-v3").tryQuery()).isPresent();
    }
}
