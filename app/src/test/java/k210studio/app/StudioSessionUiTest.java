package k210studio.app;

import static org.assertj.core.api.Assertions.assertThat;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import k210studio.app.files.RecoveryStore;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.samples.SampleNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Session behaviour through the real window: crash recovery, the unsaved-changes prompt, rubber-band selection, delete, zoom. */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 180, unit = TimeUnit.SECONDS)
class StudioSessionUiTest {
    @TempDir
    static Path tmp;
    private StudioWindow window;
    private TestDialogs dialogs;
    private Path home;

    @Start
    void start(Stage stage) throws Exception {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        home = tmp.resolve("home-" + System.nanoTime());
        window = StudioUi.show(stage, home, s -> dialogs = new TestDialogs(s));
    }

    /** Presses a button of an open alert (found through its dialog pane, as the robot sees it). */
    private static void pressDialogButton(FxRobot robot, String paneId, String text) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(paneId).tryQuery().isPresent());
        javafx.scene.control.DialogPane pane = robot.lookup(paneId).queryAs(javafx.scene.control.DialogPane.class);
        javafx.scene.control.Button button = null;
        for (javafx.scene.control.ButtonType t : pane.getButtonTypes()) {
            if (t.getText().equals(text)) {
                button = (javafx.scene.control.Button) pane.lookupButton(t);
            }
        }
        assertThat(button).as("button " + text).isNotNull();
        javafx.scene.control.Button b = button;
        robot.interact(b::fire);
    }

    @Test
    void after_a_crash_the_autosave_is_offered_and_restored_as_unsaved_work(FxRobot robot) throws Exception {
        // what a crashed session leaves: an autosave of the needs-fixing network and a lock of a dead process
        RecoveryStore crashed = new RecoveryStore(home);
        crashed.write(ProjectFile.toBytes(SampleNetworks.briefNeedsFixingProject()), tmp.resolve("mine.k210proj"));
        Files.writeString(home.resolve("session.lock"), "999999999");

        Platform.runLater(() -> window.start(null));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("Restore").tryQuery().isPresent());
        pressDialogButton(robot, "#restore-dialog", "Restore");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().graph()).isEqualTo(SampleNetworks.briefNeedsFixing());
        assertThat(window.model().isDirty()).isTrue();
        assertThat(window.stage().getTitle()).startsWith("•").contains("mine.k210proj");

        // the next autosave goes to the recovery file; a clean shutdown removes it
        robot.interact(() -> window.documents().autosave());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(home.resolve("recovery.k210proj")));
        robot.interact(() -> window.documents().shutdown());
        assertThat(Files.exists(home.resolve("recovery.k210proj"))).isFalse();
    }

    @Test
    void unsaved_changes_prompt_cancel_keeps_the_work(FxRobot robot) throws Exception {
        robot.interact(() -> window.start(null));
        String first = window.model().graph().ids().get(1);
        robot.interact(() -> {
            window.model().select(first);
            window.model().deleteSelection();
        });
        assertThat(window.model().isDirty()).isTrue();
        Graph edited = window.model().graph().copy();
        dialogs.saveAnswer = null; // the real "Save changes?" dialog
        Platform.runLater(() -> window.documents().newDocument());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("Don't Save").tryQuery().isPresent());
        pressDialogButton(robot, "#save-dialog", "Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().graph()).isEqualTo(edited);

        Platform.runLater(() -> window.documents().newDocument());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("Don't Save").tryQuery().isPresent());
        pressDialogButton(robot, "#save-dialog", "Don't Save");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().graph().size()).isEqualTo(1);
    }

    @Test
    void shift_drag_selects_several_layers_delete_removes_them_undo_restores(FxRobot robot) throws Exception {
        robot.interact(() -> window.start(null));
        robot.interact(() -> window.model().select(java.util.List.of()));
        Graph before = window.model().graph().copy();
        var canvas = window.canvas();
        var a = canvas.nodeView(window.model().graph().ids().get(1));
        var b = canvas.nodeView(window.model().graph().ids().get(3));
        Bounds ba = a.localToScreen(a.getBoundsInLocal());
        Bounds bb = b.localToScreen(b.getBoundsInLocal());
        // rubber band from left of the 2nd layer to the right of the 4th, Shift held
        robot.press(KeyCode.SHIFT);
        robot.drag(ba.getMinX() - 40, ba.getMinY() + 5, MouseButton.PRIMARY).moveTo(new javafx.geometry.Point2D(bb.getMaxX() + 40, bb.getMaxY() - 5)).release(MouseButton.PRIMARY);
        robot.release(KeyCode.SHIFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().selection()).hasSize(3);
        robot.type(KeyCode.DELETE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().graph().size()).isEqualTo(before.size() - 3);
        robot.clickOn("#tb-undo");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.model().graph()).isEqualTo(before);

        // Auto-layout (layout computed off the FX thread) puts a dragged-away layer back, as one undo step
        String moved = window.model().graph().ids().get(2);
        robot.interact(() -> window.model().move(java.util.Map.of(moved, new k210studio.ir.graph.Position(900, 40))));
        robot.clickOn("#tb-layout");
        var expected = k210studio.app.layout.LayeredLayout.layout(window.model().graph());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> expected.get(moved).equals(window.model().graph().position(moved)));
        for (String id : window.model().graph().ids()) {
            assertThat(window.model().graph().position(id)).as(id).isEqualTo(expected.get(id));
        }

        // Ctrl + wheel zooms, the wheel alone scrolls
        double z = canvas.zoomFactor();
        robot.moveTo(canvas);
        robot.press(KeyCode.CONTROL).scroll(3, javafx.geometry.VerticalDirection.UP).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(canvas.zoomFactor()).isNotEqualTo(z);
    }
}
