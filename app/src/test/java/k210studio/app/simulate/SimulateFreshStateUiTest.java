package k210studio.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import k210studio.assets.Assets;
import k210studio.ir.project.Project;
import k210studio.ir.samples.SampleNetworks;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Simulate window never shows something stale, headless: the image chooser shows the picture however it was
 * picked (bundled, folder, dropped file, stepping); a new image or model clears answers, boxes, table, chart and
 * maps; the tool rows keep Open .kmodel and Target in sight at the default and a narrow width; the feature-map
 * grids take the pane's width.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 300, unit = TimeUnit.SECONDS)
class SimulateFreshStateUiTest {
    private SimulatePanel panel;
    private Stage stage;
    private final List<String> errors = new ArrayList<>();
    private final Project project = SampleNetworks.briefTwoClassProject();

    @Start
    void start(Stage s) {
        stage = s;
        panel = new SimulatePanel(() -> project);
        panel.setErrorHandler((t, m) -> errors.add(t + ": " + m));
        // the size SimulateWindow opens at
        s.setScene(new Scene(panel, 1400, 900));
        s.show();
    }

    private void runAndWait(FxRobot robot) throws Exception {
        robot.clickOn("#sim-run");
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> panel.resultProperty().get() != null && !panel.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(errors).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private String chooserShows(FxRobot robot) {
        ComboBox<String> c = robot.lookup("#sim-image").queryAs(ComboBox.class);
        return c.getConverter().toString(c.getValue());
    }

    @Test
    void theImageChooserFollowsEveryWayAnImageWasPicked(FxRobot robot, @TempDir Path dir) throws Exception {
        for (String n : List.of("a_face.jpg", "b_cat.bmp")) {
            try (var in = Assets.open(n.equals("a_face.jpg") ? "images/face.jpg" : "images/cat.bmp")) {
                Files.copy(in, dir.resolve(n));
            }
        }
        robot.interact(() -> panel.selectImage("images/grace_hopper.bmp"));
        assertThat(chooserShows(robot)).isEqualTo("images/grace_hopper.bmp");
        robot.interact(() -> panel.openFolder(dir));
        assertThat(chooserShows(robot)).startsWith("a_face.jpg");
        robot.clickOn("#sim-next");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(chooserShows(robot)).startsWith("b_cat.bmp");
        assertThat(robot.lookup("#sim-image-info").queryAs(Label.class).getText()).isEqualTo("b_cat.bmp  512×341");
        // a dropped file is the same as an opened one
        Path dropped = dir.resolve("dropped.jpg");
        Files.copy(dir.resolve("a_face.jpg"), dropped);
        robot.interact(() -> panel.viewModel().dropped(dropped));
        assertThat(chooserShows(robot)).startsWith("dropped.jpg");
        assertThat(panel.viewModel().images().choices()).contains(dropped.toString(), dir.resolve("a_face.jpg").toString());
        // and picking a file back from the chooser shows it
        robot.interact(() -> panel.viewModel().images().choiceProperty().set(dir.resolve("b_cat.bmp").toString()));
        assertThat(panel.viewModel().currentImage()).isEqualTo(dir.resolve("b_cat.bmp").toString());
        assertThat(errors).isEmpty();
    }

    @Test
    void anotherImageOrModelLeavesNoStalePanel(FxRobot robot) throws Exception {
        robot.interact(() -> panel.selectImage("images/face.jpg"));
        runAndWait(robot);
        robot.interact(() -> panel.layerTable().getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#sim-map-k210").queryAs(ImageView.class).getImage()).isNotNull();
        assertThat(texts(robot, "#sim-k210-results")).isNotEmpty();
        assertThat(panel.chartViewer().getChart().getCategoryPlot().getDataset().getColumnCount()).isPositive();

        robot.interact(() -> panel.selectImage("images/cat.bmp"));
        assertCleared(robot);
        assertThat(panel.layerTable().getItems()).isEmpty();

        // a kmodel: run it (boxes on face.jpg), then go back to the project
        robot.interact(() -> {
            panel.openKmodel(SharedFixtures.fixture("kmodel/v3/face_detect_yolov2_320x240.kmodel"));
            panel.selectImage("images/face.jpg");
        });
        runAndWait(robot);
        assertThat(panel.shownBoxes()).isNotEmpty();
        robot.interact(() -> panel.layerTable().getSelectionModel().select(panel.layerTable().getItems().size() - 1));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> panel.useProject());
        assertCleared(robot);
        assertThat(panel.layerTable().getItems()).isEmpty();
        assertThat(robot.lookup("#sim-mode").queryAs(Label.class).getText()).startsWith("Project: ");
        // opening the kmodel again shows its layers (no values) and nothing of the project's run
        robot.interact(() -> panel.openKmodel(SharedFixtures.fixture("kmodel/v3/face_detect_yolov2_320x240.kmodel")));
        assertCleared(robot);
        assertThat(panel.layerTable().getItems()).hasSize(24).allSatisfy(r -> assertThat(r.cycles()).isZero());
    }

    private void assertCleared(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(panel.resultProperty().get()).isNull();
        assertThat(panel.shownBoxes()).isEmpty();
        assertThat(texts(robot, "#sim-k210-results")).isEmpty();
        assertThat(texts(robot, "#sim-float-results")).isEmpty();
        assertThat(robot.lookup("#sim-input-view").queryAs(ImageView.class).getImage()).isNull();
        assertThat(panel.chartViewer().getChart().getCategoryPlot().getDataset().getColumnCount()).isZero();
        for (String id : List.of("#sim-map-k210", "#sim-map-float", "#sim-map-diff")) {
            assertThat(robot.lookup(id).queryAs(ImageView.class).getImage()).as(id).isNull();
        }
        assertThat(robot.lookup("#sim-map-title").queryAs(Label.class).getText()).isEqualTo(LayerMaps.PROMPT);
    }

    @Test
    void openKmodelAndTargetStayInSightAtTheDefaultAndANarrowWidth(FxRobot robot) {
        for (double width : new double[] {1400, 960}) {
            robot.interact(() -> stage.setWidth(width));
            WaitForAsyncUtils.waitForFxEvents();
            for (String id : List.of("#sim-open-kmodel", "#sim-target", "#sim-run", "#sim-use-project", "#sim-nms", "#sim-input")) {
                Node n = robot.lookup(id).query();
                Bounds b = n.localToScene(n.getBoundsInLocal());
                assertThat(n.isVisible()).as(id).isTrue();
                assertThat(b.getMinX()).as(id + " at " + width).isGreaterThanOrEqualTo(0);
                assertThat(b.getMaxX()).as(id + " at " + width).isLessThanOrEqualTo(panel.getScene().getWidth());
                assertThat(b.getWidth()).as(id).isGreaterThan(0);
            }
        }
    }

    @Test
    void featureMapGridsTakeThePanesWidth(FxRobot robot) throws Exception {
        robot.interact(() -> panel.selectImage("images/face.jpg"));
        runAndWait(robot);
        robot.interact(() -> panel.layerTable().getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        Node maps = robot.lookup("#sim-maps").query();
        double paneWidth = maps.getParent().getLayoutBounds().getWidth();
        for (String id : List.of("#sim-map-k210", "#sim-map-float", "#sim-map-diff")) {
            ImageView v = robot.lookup(id).queryAs(ImageView.class);
            double w = v.getBoundsInParent().getWidth();
            // three grids side by side: each fits a third of the pane (and is not left at its tiny native size)
            assertThat(w).as(id).isLessThanOrEqualTo(paneWidth / 3 + 1).isGreaterThan(paneWidth / 6);
        }
    }

    private static List<String> texts(FxRobot robot, String id) {
        VBox b = robot.lookup(id).queryAs(VBox.class);
        return b.getChildren().stream().filter(n -> n instanceof Label).map(n -> ((Label) n).getText()).toList();
    }
}
