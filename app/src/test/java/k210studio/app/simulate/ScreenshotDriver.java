package k210studio.app.simulate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import k210studio.app.StudioWindow;
import k210studio.app.export.ExportWizard;
import k210studio.app.files.FxDialogs;

/**
 * Run by hand under Xvfb to take the README screenshots (not a test): starts the real studio window on the bundled
 * sample, then either opens the file given ({@code studio [file]}), or opens the Simulate window on the V3
 * face-detector fixture and runs it on face.jpg ({@code simulate [kmodel]}), or walks the export wizard to its memory
 * page ({@code export [pages]}). {@code --dark} anywhere starts it in the dark theme (as remembered in the studio's
 * settings). Take the picture with {@code import -window root} once it has settled.
 */
public final class ScreenshotDriver {
    private ScreenshotDriver() {
    }

    /** The JavaFX application (a main class extending Application needs JavaFX as modules). */
    public static final class App extends Application {
    @Override
    public void start(Stage stage) throws Exception {
        List<String> args = new ArrayList<>(getParameters().getRaw());
        Path home = Files.createTempDirectory("k210studio-shot");
        if (args.remove("--dark")) {
            Files.writeString(home.resolve("settings.properties"), "theme=dark\n");
        }
        StudioWindow w = new StudioWindow(stage, home, FxDialogs::new);
        stage.setX(0);
        stage.setY(0);
        stage.show();
        String mode = args.get(0);
        if (mode.equals("studio")) {
            stage.setWidth(1600);
            stage.setHeight(1000);
            w.start(args.size() > 1 ? Path.of(args.get(1)) : null);
            return;
        }
        w.start(null);
        if (mode.equals("simulate")) {
            SimulateWindow sw = new SimulateWindow(stage, w.model()::project);
            sw.show();
            sw.stage().setX(0);
            sw.stage().setY(0);
            sw.stage().setWidth(1600);
            sw.stage().setHeight(1000);
            SimulatePanel p = sw.panel();
            if (args.size() > 1) {
                p.openKmodel(Path.of(args.get(1)));
            }
            p.selectImage("images/face.jpg");
            Platform.runLater(p::run);
        } else {
            ExportWizard ex = new ExportWizard(w.model().project(), stage);
            ex.show();
            ex.stage().setX(0);
            ex.stage().setY(0);
            ex.stage().setWidth(1500);
            ex.stage().setHeight(1000);
            int pages = args.size() > 1 ? Integer.parseInt(args.get(1)) : 3;
            for (int i = 0; i < pages; i++) {
                ex.next();
            }
        }
    }

    }

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }
}
