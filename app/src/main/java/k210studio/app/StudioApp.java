package k210studio.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Application;
import javafx.stage.Stage;
import k210studio.app.files.FxDialogs;

/**
 * The K210 Studio application: one {@link StudioWindow} on the file given on the command line,
 * or on the bundled sample network. Settings, recent files and the autosave live in
 * {@code ~/.k210studio} (or the folder named by {@code -Dk210studio.home}).
 */
public final class StudioApp extends Application {
    private StudioWindow window;

    @Override
    public void start(Stage stage) {
        window = new StudioWindow(stage, home(), FxDialogs::new);
        stage.show();
        List<String> args = getParameters().getRaw();
        Path file = null;
        if (!args.isEmpty()) {
            file = Path.of(args.get(0));
            if (!Files.exists(file)) {
                window.documents().reportMissing(file);
                file = null;
            }
        }
        window.start(file);
    }

    @Override
    public void stop() {
        if (window != null) {
            window.documents().shutdown();
        }
    }

    /** The studio's settings folder. */
    public static Path home() {
        String h = System.getProperty("k210studio.home");
        return h != null ? Path.of(h) : Path.of(System.getProperty("user.home"), ".k210studio");
    }
}
