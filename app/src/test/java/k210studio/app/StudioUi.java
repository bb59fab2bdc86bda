package k210studio.app;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.stage.Stage;
import k210studio.app.files.Dialogs;
import org.testfx.util.WaitForAsyncUtils;

/**
 * How the UI tests bring up the studio: the real {@link StudioWindow} on a stage of 1280×800 with its settings in a
 * folder of the test's own, started on the sample project as a user sees it at launch; and the waits that follow an
 * import. The window and its dialogs are the real ones; only what the test passes as dialogs answers for the user.
 */
public final class StudioUi {
    private StudioUi() {
    }

    /** Shows the studio window at the tests' size with its settings in {@code settingsHome}, not started yet. */
    public static StudioWindow show(Stage stage, Path settingsHome, Function<Stage, Dialogs> dialogs) {
        StudioWindow window = new StudioWindow(stage, settingsHome, dialogs);
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
        return window;
    }

    /** Shows the studio window with fresh settings (a new folder below {@code home}) and starts it on the sample. */
    public static StudioWindow start(Stage stage, Path home, Function<Stage, Dialogs> dialogs) {
        StudioWindow window = show(stage, home.resolve("studio-" + System.nanoTime()), dialogs);
        window.start(null);
        return window;
    }

    /**
     * File → Import of {@code file} (the test dialogs answer the chooser with it); returns once the import is done
     * and {@code loaded} holds, with the FX events it caused handled.
     */
    static void importAndWait(StudioWindow window, TestDialogs dialogs, Path file, BooleanSupplier loaded)
            throws TimeoutException {
        dialogs.nextOpen = file;
        Platform.runLater(() -> window.documents().importModel());
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !window.documents().busyProperty().get() && loaded.getAsBoolean());
        WaitForAsyncUtils.waitForFxEvents();
    }
}
