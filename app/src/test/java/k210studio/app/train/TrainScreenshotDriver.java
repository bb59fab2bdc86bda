package k210studio.app.train;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.stage.Stage;
import k210studio.app.StudioWindow;
import k210studio.app.files.FxDialogs;

/**
 * Run by hand under Xvfb for the README screenshot (not a test): the studio on its sample, the Train window on the
 * dataset folder given as the first argument, transfer learning started for the number of epochs in the second; with a
 * third argument (a .png path) the window is snapshot to that file when the run ends, then the program exits (works
 * headless under Monocle: {@code -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw}).
 */
public final class TrainScreenshotDriver {
    private TrainScreenshotDriver() {
    }

    /** The JavaFX application. */
    public static final class App extends Application {
        @Override
        public void start(Stage stage) throws Exception {
            Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
            StudioWindow w = new StudioWindow(stage, Files.createTempDirectory("k210studio-shot"), FxDialogs::new);
            stage.show();
            w.start(null);
            w.openTrain();
            TrainWindow tw = w.trainWindow();
            tw.stage().setX(0);
            tw.stage().setY(0);
            tw.stage().setWidth(1500);
            tw.stage().setHeight(950);
            TrainViewModel vm = tw.viewModel();
            vm.chooseDataset(Path.of(getParameters().getRaw().get(0)));
            vm.epochsProperty().set(Integer.parseInt(getParameters().getRaw().get(1)));
            vm.learningRateProperty().set(0.003);
            vm.start();
            if (getParameters().getRaw().size() > 2) {
                Path png = Path.of(getParameters().getRaw().get(2));
                vm.runningProperty().addListener((o, was, now) -> {
                    if (!now) {
                        javafx.application.Platform.runLater(() -> {
                            try {
                                javafx.scene.image.WritableImage img = tw.stage().getScene().snapshot(null);
                                javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(img, null), "png", png.toFile());
                            } catch (java.io.IOException e) {
                                e.printStackTrace();
                            }
                            javafx.application.Platform.exit();
                        });
                    }
                });
            }
        }
    }

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }
}
