package k210studio.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import k210studio.ir.project.Project;
import k210studio.ir.samples.SampleNetworks;
import k210studio.testing.SharedFixtures;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Simulate panel driven through its UI, headless: Run on the bundled sample network and image shows the float and
 * K210 classes, the per-layer table, the time chart and a layer's feature maps; an opened V3 face-detector kmodel
 * draws boxes on face.jpg.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 300, unit = TimeUnit.SECONDS)
class SimulatePanelUiTest {
    private SimulatePanel panel;
    private final List<String> errors = new ArrayList<>();
    private final Project project = SampleNetworks.briefTwoClassProject();

    @Start
    void start(Stage stage) {
        panel = new SimulatePanel(() -> project);
        panel.setErrorHandler((t, m) -> errors.add(t + ": " + m));
        stage.setScene(new Scene(panel, 1280, 860));
        stage.show();
    }

    private void waitUntilDone() throws Exception {
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> !panel.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void runOnTheBundledSampleShowsBothAnswersTheLayerTableChartAndFeatureMaps(FxRobot robot) throws Exception {
        robot.interact(() -> panel.selectImage("images/face.jpg"));
        robot.clickOn("#sim-run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> panel.runningProperty().get() || panel.resultProperty().get() != null);
        waitUntilDone();
        assertThat(errors).isEmpty();
        SimulationResult r = panel.resultProperty().get();
        assertThat(r).isNotNull();
        // float and K210 top-k, with the project's labels, are on screen
        VBox k210 = robot.lookup("#sim-k210-results").queryAs(VBox.class);
        VBox fl = robot.lookup("#sim-float-results").queryAs(VBox.class);
        assertThat(texts(k210)).hasSize(2).allSatisfy(t -> assertThat(t).containsAnyOf("positive", "negative"));
        assertThat(texts(fl)).hasSize(2);
        assertThat(robot.lookup("#sim-input-view").queryAs(ImageView.class).getImage().getWidth()).isEqualTo(320);
        // one table row per kmodel layer; the chart has one category per row and the total in its title
        assertThat(panel.layerTable().getItems()).hasSize(r.layers().size()).isNotEmpty();
        CategoryDataset d = panel.chartViewer().getChart().getCategoryPlot().getDataset();
        assertThat(d.getColumnCount()).isEqualTo(r.layers().size());
        assertThat(panel.chartViewer().getChart().getTitle().getText()).contains(String.format(java.util.Locale.ROOT, "%.2f ms", r.totalMillis()));
        double sum = 0;
        for (int c = 0; c < d.getColumnCount(); c++) {
            sum += d.getValue(0, c).doubleValue() + d.getValue(1, c).doubleValue();
        }
        assertThat(sum).isCloseTo(r.totalMillis(), org.assertj.core.data.Offset.offset(1e-6));
        // clicking the first layer shows its K210, float and difference maps
        robot.interact(() -> panel.layerTable().getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        Node maps = robot.lookup("#sim-maps").query();
        List<ImageView> views = robot.from(maps).lookup((java.util.function.Predicate<Node>) n -> n instanceof ImageView).queryAllAs(ImageView.class).stream().toList();
        assertThat(views).hasSize(3).allSatisfy(v -> assertThat(v.getImage()).isNotNull());
        assertThat(r.layers().get(0).compared()).isTrue();
    }

    @Test
    void anOpenedV3FaceDetectorDrawsBoxesOnFaceJpg(FxRobot robot) throws Exception {
        robot.interact(() -> {
            panel.openKmodel(SharedFixtures.fixture("kmodel/v3/face_detect_yolov2_320x240.kmodel"));
            panel.selectImage("images/face.jpg");
        });
        assertThat(robot.lookup("#sim-mode").queryAs(Label.class).getText()).contains("kmodel V3");
        robot.clickOn("#sim-run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> panel.runningProperty().get() || panel.resultProperty().get() != null);
        waitUntilDone();
        assertThat(errors).isEmpty();
        assertThat(panel.shownBoxes()).isNotEmpty();
        SimulationResult r = panel.resultProperty().get();
        assertThat(r.floatAnswer()).isNull();
        // the listed boxes are those drawn
        VBox k210 = robot.lookup("#sim-k210-results").queryAs(VBox.class);
        assertThat(texts(k210).get(0)).isEqualTo(panel.shownBoxes().size() + " box(es)");
        assertThat(panel.layerTable().getItems()).hasSize(24);
    }

    @Test
    void badThresholdIsAnErrorNamingTheField(FxRobot robot) {
        robot.interact(() -> ((javafx.scene.control.TextField) robot.lookup("#sim-threshold").query()).setText("abc"));
        robot.clickOn("#sim-run");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(errors).singleElement().asString().contains("threshold 'abc' is not a number");
    }

    @Test
    void aFolderIsSteppedThroughAndEachImageIsRunAgain(FxRobot robot, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        for (String n : List.of("a_face.jpg", "b_cat.bmp")) {
            try (var in = k210studio.assets.Assets.open(n.equals("a_face.jpg") ? "images/face.jpg" : "images/cat.bmp")) {
                java.nio.file.Files.copy(in, dir.resolve(n));
            }
        }
        java.nio.file.Files.writeString(dir.resolve("notes.txt"), "not an image");
        robot.interact(() -> panel.openFolder(dir));
        robot.clickOn("#sim-run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> panel.runningProperty().get() || panel.resultProperty().get() != null);
        waitUntilDone();
        assertThat(panel.resultProperty().get().imageName()).endsWith("a_face.jpg");
        robot.clickOn("#sim-next");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> shown("b_cat.bmp"));
        waitUntilDone();
        assertThat(errors).isEmpty();
        assertThat(panel.resultProperty().get().image().width()).isEqualTo(k210studio.kpu.image.ImageFiles.read(dir.resolve("b_cat.bmp")).width());
        robot.clickOn("#sim-next"); // wraps around
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> shown("a_face.jpg"));
        waitUntilDone();
    }

    /** True once the shown result is that of the named image (switching images clears the old one first). */
    private boolean shown(String image) {
        SimulationResult r = panel.resultProperty().get();
        return r != null && r.imageName().endsWith(image) && !panel.runningProperty().get();
    }

    private static List<String> texts(VBox b) {
        return b.getChildren().stream().filter(n -> n instanceof Label).map(n -> ((Label) n).getText()).toList();
    }
}
