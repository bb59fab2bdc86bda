package k210studio.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.input.KeyCode;
import javafx.scene.shape.Rectangle;
import javafx.scene.shape.Shape;
import javafx.stage.Stage;
import k210studio.app.canvas.GraphCanvas;
import k210studio.app.canvas.LayerNodeView;
import k210studio.app.layout.LayeredLayout;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Big imported networks on the canvas, headless: Fit (Ctrl+0 and the toolbar) puts every layer of the 90-layer
 * Keras MobileNet inside the view; the minimap frames what is shown and pans on a click; TFLite's long tensor names
 * are shortened in the boxes with the whole name on hover and in the inspector; a skip connection is routed around
 * the layers in between; a KPU frame never encloses a layer that is not part of it, nor one the CPU runs.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 240, unit = TimeUnit.SECONDS)
class BigGraphUiTest {
    @TempDir
    static Path home;

    private StudioWindow window;
    private TestDialogs dialogs;

    @Start
    void start(Stage stage) {
        window = StudioUi.start(stage, home, s -> dialogs = new TestDialogs(s));
    }

    private GraphCanvas canvas() {
        return window.canvas();
    }

    private void importAndWait(String fixture, String nameContains) throws Exception {
        StudioUi.importAndWait(window, dialogs, SharedFixtures.fixture(fixture), () -> window.model().settings().name().contains(nameContains));
    }

    /** Layers whose box lies wholly inside the canvas as the user sees it. */
    private long layersInView() {
        Bounds view = canvas().localToScene(canvas().getLayoutBounds());
        return window.model().graph().ids().stream().filter(id -> {
            LayerNodeView v = canvas().nodeView(id);
            Bounds b = v.localToScene(v.getBoundsInLocal());
            return b.getMinX() >= view.getMinX() - 0.5 && b.getMaxX() <= view.getMaxX() + 0.5
                    && b.getMinY() >= view.getMinY() - 0.5 && b.getMaxY() <= view.getMaxY() + 0.5;
        }).count();
    }

    @Test
    void fitShowsEveryLayerOfTheNinetyLayerMobilenetAndTheMinimapFramesTheView(FxRobot robot) throws Exception {
        importAndWait("keras/tinymaix_mbnet128_0.25.h5", "mbnet");
        int n = window.model().graph().size();
        assertThat(n).isGreaterThanOrEqualTo(90);
        // the first look keeps the boxes legible and shows the top of the chain
        assertThat(layersInView()).isLessThan(n);
        robot.clickOn(canvas());
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT0);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(layersInView()).isEqualTo(n);
        Rectangle2D whole = canvas().minimapViewport();
        // zoom in: fewer layers in view, a smaller frame in the minimap; the toolbar's Fit shows them all again
        robot.interact(() -> canvas().zoomBy(8));
        assertThat(layersInView()).isLessThan(n);
        Rectangle2D zoomed = canvas().minimapViewport();
        assertThat(zoomed.getHeight()).isLessThan(whole.getHeight() / 2);
        // a click low in the minimap centres the canvas there: the frame follows
        Bounds mm = canvas().minimap().localToScreen(canvas().minimap().getBoundsInLocal());
        robot.clickOn(new Point2D(mm.getCenterX(), mm.getMaxY() - 12));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(canvas().minimapViewport().getMinY()).isGreaterThan(zoomed.getMinY() + 20);
        robot.clickOn("#tb-fit");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(layersInView()).isEqualTo(n);
        // View → Minimap hides it
        robot.interact(() -> canvas().minimapShownProperty().set(false));
        assertThat(canvas().minimap().isVisible()).isFalse();
    }

    @Test
    void longTfliteNamesAreShortInTheBoxesAndWholeOnHoverAndInTheInspector(FxRobot robot) throws Exception {
        importAndWait("tflite/coral_mobilenet_v1_0.25_128_quant_uint8.tflite", "coral");
        Layer longOne = window.model().graph().layers().stream().filter(l -> l.name().contains(";")).findFirst().orElseThrow();
        LayerNodeView v = canvas().nodeView(longOne.id());
        assertThat(v.titleText()).isNotEqualTo(longOne.name()).startsWith("…/").doesNotContain(";");
        assertThat(longOne.name().substring(0, longOne.name().indexOf(';'))).endsWith(v.titleText().substring(2));
        assertThat(v.tooltipText()).contains("Name: " + longOne.name());
        robot.interact(() -> window.model().select(longOne.id()));
        assertThat(robot.lookup("#inspector-full-name").queryLabeled().getText()).isEqualTo(longOne.name());
        assertThat(robot.lookup("#param-name").queryTextInputControl().getText()).isEqualTo(longOne.name());
    }

    @Test
    void aSkipConnectionIsRoutedAroundTheLayersInBetween(FxRobot robot) {
        Graph g = new Graph("skip");
        Random r = new Random(3);
        String in = g.add("image", new Input(TensorShape.hwc(8, 8, 4)));
        String a = g.add("conv_a", Conv2D.of(4, 3, 1, Padding.SAME), Map.of("kernel", Tensor.gaussian(r, 0.1, 3, 3, 4, 4), "bias", Tensor.gaussian(r, 0.1, 4)), in);
        String b = g.add("conv_b", Conv2D.of(4, 3, 1, Padding.SAME), Map.of("kernel", Tensor.gaussian(r, 0.1, 3, 3, 4, 4), "bias", Tensor.gaussian(r, 0.1, 4)), a);
        String add = g.add("add", new Add(), b, in);
        LayeredLayout.layout(g).forEach(g::setPosition);
        robot.interact(() -> window.model().replace(new Project(g, ProjectSettings.defaults("skip")), null));
        // the layout stacks the four layers in one column: a straight curve from the input to the add crosses both convs
        List<Point2D> skip = canvas().edgePoints(in, add);
        assertThat(skip).isNotEmpty();
        for (String id : List.of(a, b)) {
            Rectangle2D box = box(id);
            assertThat(skip).as("edge image → add against " + id).noneMatch(box::contains);
        }
        // the short edges keep their plain curve
        assertThat(canvas().edgePoints(a, b)).noneMatch(box(in)::contains);
    }

    @Test
    void kpuFramesHoldOnlyTheirKpuLayersEvenWhenTheLayerSitsBesideThem(FxRobot robot) {
        Graph g = new Graph("frames");
        Random r = new Random(5);
        String in = g.add("image", new Input(TensorShape.hwc(16, 16, 3)));
        String conv = g.add("conv", Conv2D.of(8, 3, 1, Padding.SAME), Map.of("kernel", Tensor.gaussian(r, 0.1, 3, 3, 3, 8), "bias", Tensor.gaussian(r, 0.1, 8)), in);
        String bn = g.add("bn", BatchNormalization.keras(), Map.of("gamma", ones(8), "beta", Tensor.gaussian(r, 0.1, 8), "moving_mean", Tensor.gaussian(r, 0.1, 8),
                "moving_variance", ones(8)), conv);
        String relu = g.add("relu", ReLU.plain(), bn);
        String gap = g.add("gap", new GlobalAveragePooling2D(false), relu);
        // the conv's group zig-zags around the pooling layer (a CPU layer), which its bounding box would enclose
        g.setPosition(in, new Position(0, 0));
        g.setPosition(conv, new Position(0, 100));
        g.setPosition(bn, new Position(520, 200));
        g.setPosition(relu, new Position(0, 300));
        g.setPosition(gap, new Position(260, 200));
        robot.interact(() -> window.model().replace(new Project(g, ProjectSettings.defaults("frames")), null));
        assertThat(canvas().kpuFrames()).isNotEmpty();
        for (List<String> frame : canvas().kpuFrames()) {
            for (String id : frame) {
                assertThat(window.model().analysis().verdictLabel(id)).as(id).startsWith("KPU");
            }
            Shape outline = canvas().kpuFrameOutline(frame.get(0));
            for (String other : window.model().graph().ids()) {
                if (frame.contains(other)) {
                    continue;
                }
                Rectangle2D bx = box(other);
                Bounds hit = Shape.intersect(outline, new Rectangle(bx.getMinX(), bx.getMinY(), bx.getWidth(), bx.getHeight())).getBoundsInLocal();
                assertThat(hit.isEmpty() || hit.getWidth() < 0.5 || hit.getHeight() < 0.5).as("frame of " + frame + " over " + other).isTrue();
            }
        }
        assertThat(canvas().kpuFrames().stream().flatMap(List::stream)).doesNotContain(gap);
    }

    private Rectangle2D box(String id) {
        Position p = window.model().graph().position(id);
        return new Rectangle2D(p.x(), p.y(), LayeredLayout.NODE_W, LayeredLayout.NODE_H);
    }

    private static Tensor ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return new Tensor(new int[] {n}, v);
    }
}
