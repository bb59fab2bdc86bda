package k210studio.app.simulate;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import k210studio.app.StudioWindow;
import k210studio.app.export.ExportWizard;
import k210studio.app.files.FxDialogs;

/**
 * Run by hand under Xvfb to take the README screenshots (not a test): starts the real studio window on the bundled
 * sample, then either opens the Simulate window on the V3 face-detector fixture and runs it on face.jpg
 * ({@code simulate}), or walks the export wizard to its memory page ({@code export}). Take the picture with
 * {@code import -window root} once it has settled. Args: mode, and for simulate the kmodel path.
 */
public final class ScreenshotDriver {
    private ScreenshotDriver() {
    }

    /** The JavaFX application (a main class extending Application needs JavaFX as modules). */
    public static final class App extends Application {
    @Override
    public void start(Stage stage) throws Exception {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Path home = Files.createTempDirectory("k210studio-shot");
        StudioWindow w = new StudioWindow(stage, home, FxDialogs::new);
        stage.setX(0);
        stage.setY(0);
        stage.show();
        w.start(null);
        String mode = getParameters().getRaw().get(0);
        if (mode.equals("simulate")) {
            SimulateWindow sw = new SimulateWindow(stage, w.model()::project);
            sw.show();
            sw.stage().setX(0);
            sw.stage().setY(0);
            sw.stage().setWidth(1600);
            sw.stage().setHeight(1000);
            SimulatePanel p = sw.panel();
            if (getParameters().getRaw().size() > 1) {
                p.openKmodel(Path.of(getParameters().getRaw().get(1)));
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
            int pages = getParameters().getRaw().size() > 1 ? Integer.parseInt(getParameters().getRaw().get(1)) : 3;
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
