package k210studio.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import javafx.stage.Window;
import k210studio.ir.graph.Graph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Saving and naming through the real window, headless: Save of rt.k210proj writes exactly that file (a chooser
 * answer with the extension doubled or missing writes it too); the title, the save prompt, the status line,
 * Simulate and the export wizard use one name ("untitled", a sample's name, then the file's); Open Recent lists
 * the saved file at once and opens it.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
class SaveAndRecentUiTest {
    @TempDir
    static Path home;
    @TempDir
    Path dir;

    private StudioWindow window;
    private TestDialogs dialogs;

    @Start
    void start(Stage stage) {
        window = StudioUi.start(stage, home, s -> dialogs = new TestDialogs(s));
    }

    private String title() {
        return window.stage().getTitle();
    }

    @Test
    void saveWritesExactlyTheChosenFileAndEveryPlaceNamesTheDocumentAlike(FxRobot robot) throws Exception {
        String sample = window.model().settings().name();
        assertThat(title()).isEqualTo(sample + " — K210 Studio");
        assertThat(window.model().messageProperty().get()).contains("\"" + sample + "\"");

        // an edit, then New: the prompt names the sample as the title does; New is "untitled" everywhere
        robot.interact(() -> {
            window.model().select(window.model().graph().ids().get(1));
            window.model().deleteSelection();
        });
        assertThat(title()).isEqualTo("• " + sample + " — K210 Studio");
        robot.interact(() -> window.documents().newDocument());
        assertThat(dialogs.askedSaveFor).containsExactly(sample);
        assertThat(title()).isEqualTo("untitled — K210 Studio");

        // Save of rt.k210proj writes exactly that file
        dialogs.nextSave = dir.resolve("rt.k210proj");
        robot.clickOn("#tb-save");
        WaitForAsyncUtils.waitForFxEvents();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("rt.k210proj");
        }
        assertThat(title()).isEqualTo("rt.k210proj — K210 Studio");
        assertThat(window.model().messageProperty().get()).isEqualTo("Saved rt.k210proj");
        // a chooser that appended the filter's extension once more, or left it off, still gives one extension
        dialogs.nextSave = dir.resolve("rt2.k210proj.k210proj");
        robot.interact(() -> window.documents().saveAs());
        dialogs.nextSave = dir.resolve("rt3");
        robot.interact(() -> window.documents().saveAs());
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("rt.k210proj", "rt2.k210proj", "rt3.k210proj");
        }
        assertThat(title()).isEqualTo("rt3.k210proj — K210 Studio");

        // Simulate and the export wizard name it the same
        robot.interact(() -> window.openSimulate());
        assertThat(robot.lookup("#sim-mode").queryLabeled().getText()).isEqualTo("Project: rt3.k210proj");
        robot.interact(() -> window.simulateWindow().stage().hide());
        robot.interact(() -> window.openExport());
        assertThat(Window.getWindows().stream().filter(w -> w instanceof Stage s && "Export to K210 — rt3.k210proj".equals(s.getTitle())))
                .hasSize(1);
        robot.interact(() -> Window.getWindows().stream().filter(w -> w instanceof Stage s && s.getTitle().startsWith("Export"))
                .toList().forEach(Window::hide));
    }

    @Test
    void openRecentListsTheSavedFileAtOnceAndOpensIt(FxRobot robot) throws Exception {
        Path file = dir.resolve("recent.k210proj");
        dialogs.nextSave = file;
        robot.interact(() -> window.documents().saveAs());
        Graph saved = window.model().graph().copy();
        MenuItem first = window.recentMenu().getItems().get(0);
        assertThat(window.recentMenu().isDisable()).isFalse();
        assertThat(first.getText()).startsWith("recent.k210proj");
        robot.interact(() -> window.documents().newDocument());
        assertThat(window.model().graph().size()).isEqualTo(1);
        robot.interact(() -> window.recentMenu().getItems().get(0).fire());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !window.documents().busyProperty().get() && file.equals(window.model().fileProperty().get()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().graph()).isEqualTo(saved);
        assertThat(title()).isEqualTo("recent.k210proj — K210 Studio");
    }
}
