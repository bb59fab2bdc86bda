package k210studio.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import k210studio.app.simulate.SimulatePanel;
import k210studio.app.simulate.SimulationResult;
import k210studio.converter.importing.PreprocessingPreset;
import k210studio.kpu.post.Scored;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Imported MobileNets give the right answer on the cat photo in Simulate, headless, because the preprocessing is
 * part of the project: TinyMaix's float TFLite says nothing, so the import asks once — the live preview shows the
 * float top-5 per preset, [-1, 1] makes it "Egyptian cat" (the fixture's expected top-1, index 285) and the bundled
 * ImageNet labels are offered for its 1000 classes; Coral's uint8 TFLite carries both (its input quantization and
 * its label file), so nothing is asked and its top-3 holds "tiger cat" and "Egyptian cat".
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 600, unit = TimeUnit.SECONDS)
class ImportedMobilenetUiTest {
    @TempDir
    static Path home;

    private StudioWindow window;
    private TestDialogs dialogs;

    @Start
    void start(Stage stage) {
        window = StudioUi.start(stage, home, s -> dialogs = new TestDialogs(s));
    }

    private void importAndWait(Path file, String nameContains) throws Exception {
        StudioUi.importAndWait(window, dialogs, file, () -> window.model().graph().name().contains(nameContains));
    }

    /** Opens Simulate on the editor's project, runs it on cat.bmp and returns the result. */
    private SimulationResult simulateOnCat(FxRobot robot) throws Exception {
        robot.interact(() -> window.openSimulate());
        SimulatePanel p = window.simulateWindow().panel();
        List<String> errors = new java.util.ArrayList<>();
        p.setErrorHandler((t, m) -> errors.add(t + ": " + m));
        robot.interact(() -> {
            p.selectImage("images/cat.bmp");
            p.run();
        });
        WaitForAsyncUtils.waitFor(400, TimeUnit.SECONDS, () -> p.resultProperty().get() != null && !p.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(errors).isEmpty();
        return p.resultProperty().get();
    }

    private static String label(Scored s) {
        return s.label();
    }

    @Test
    void tinymaixFloatMobilenetAsksOnceAndTheMinusOneToOnePresetMakesItAnEgyptianCat(FxRobot robot) throws Exception {
        dialogs.modelInputAnswer = null; // the real question
        dialogs.nextOpen = SharedFixtures.fixture("tflite/tinymaix_mbnet128_0.25_float.tflite");
        Platform.runLater(() -> window.documents().importModel());
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> robot.lookup("#preprocess-dialog").tryQuery().isPresent());
        CheckBox labels = robot.lookup("#preprocess-labels").queryAs(CheckBox.class);
        assertThat(labels.isSelected()).isTrue();
        assertThat(labels.getText()).contains("imagenet_1000.txt").contains("1000 classes");
        RadioButton symmetric = robot.lookup("#preprocess-symmetric").queryAs(RadioButton.class);
        robot.interact(symmetric::fire);
        // the live preview: the float top-5 of the chosen preset on cat.bmp, and each preset's top-1 beside it
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> firstLine(robot).contains("Egyptian cat") && symmetric.getText().contains("→"));
        assertThat(top5(robot)).hasSize(5);
        assertThat(symmetric.getText()).contains("→ Egyptian cat");
        // [0, 1] makes the same network far less sure of itself: the preview lets the user see the difference
        assertThat(score(symmetric.getText())).isGreaterThan(score(robot.lookup("#preprocess-unit").queryAs(RadioButton.class).getText()) + 0.2);
        DialogPane pane = robot.lookup("#preprocess-dialog").queryAs(DialogPane.class);
        ButtonType use = pane.getButtonTypes().stream().filter(b -> b.getText().equals("Use this")).findFirst().orElseThrow();
        robot.interact(((Button) pane.lookupButton(use))::fire);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !window.documents().busyProperty().get()
                && window.model().graph().name().contains("mbnet"));
        WaitForAsyncUtils.waitForFxEvents();
        // stored in the project, shown in the status bar
        assertThat(PreprocessingPreset.matching(window.model().settings().preprocessing(), 3)).isEqualTo(PreprocessingPreset.SYMMETRIC);
        assertThat(window.model().settings().labels()).hasSize(1000);
        assertThat(window.model().messageProperty().get()).contains("[-1, 1]").contains("1000 labels");

        SimulationResult r = simulateOnCat(robot);
        assertThat(r.floatAnswer().top().get(0).index()).isEqualTo(285);
        assertThat(label(r.floatAnswer().top().get(0))).isEqualTo("Egyptian cat");
        assertThat(r.floatAnswer().top().get(0).score()).isGreaterThan(0.5f);
        assertThat(robot.lookup("#sim-input").queryAs(Label.class).getText()).contains("[-1, 1]");
        // the K210 side, quantized on this one picture, still sees a cat
        assertThat(r.k210Answer().top().stream().map(Scored::label).toList()).containsAnyOf("Egyptian cat", "tabby, tabby cat", "tiger cat");
    }

    @Test
    void coralUint8MobilenetBringsItsOwnPreprocessingAndLabels(FxRobot robot) throws Exception {
        dialogs.modelInputAnswer = null; // asking would open the real dialog: the file says everything, so nothing is asked
        importAndWait(SharedFixtures.fixture("tflite/coral_mobilenet_v1_0.25_128_quant_uint8.tflite"), "coral");
        assertThat(robot.lookup("#preprocess-dialog").tryQuery()).isEmpty();
        assertThat(window.model().settings().labels()).hasSize(1001).element(283).isEqualTo("tiger cat");
        SimulationResult r = simulateOnCat(robot);
        List<String> top3 = r.floatAnswer().top().subList(0, 3).stream().map(Scored::label).toList();
        assertThat(top3).contains("tiger cat", "Egyptian cat");
        assertThat(robot.lookup("#sim-input").queryAs(Label.class).getText()).contains("x = (pixel − 128) / 128");
    }

    /** The score at the end of a preset's label ("… → Egyptian cat 0.64"). */
    private static double score(String presetText) {
        return Double.parseDouble(presetText.substring(presetText.lastIndexOf(' ') + 1));
    }

    private static List<String> top5(FxRobot robot) {
        VBox b = robot.lookup("#preprocess-top5").queryAs(VBox.class);
        return b.getChildren().stream().filter(n -> n instanceof Label).map(n -> ((Label) n).getText()).toList();
    }

    private static String firstLine(FxRobot robot) {
        List<String> t = top5(robot);
        return t.isEmpty() ? "" : t.get(0);
    }
}
