package k210studio.app;

import java.nio.file.Path;
import javafx.stage.Stage;
import k210studio.app.files.FxDialogs;

/** How the studio's UI tests start: the main window on its bundled sample, 1280×800, with a home folder of its own. */
public final class StudioStage {
    private StudioStage() {
    }

    /** Shows the studio in {@code stage}; its recent files and autosave go to a fresh folder under {@code home}. */
    public static StudioWindow open(Stage stage, Path home) {
        StudioWindow window = new StudioWindow(stage, home.resolve("studio-" + System.nanoTime()), FxDialogs::new);
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
        window.start(null);
        return window;
    }
}
