package k210studio.app;

import static org.assertj.core.api.Assertions.assertThat;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.application.Application;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import k210studio.app.canvas.GraphCanvas;
import k210studio.app.model.EditorModel;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.rules.Target;
import k210studio.ir.rules.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The studio driven through its real UI, headless (Monocle): the robot drags from the palette,
 * drags between ports, types into the inspector, clicks Fix / Undo / Save / Open and reads the
 * verdict badges on the canvas.
 */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(value = 180, unit = TimeUnit.SECONDS)
class StudioUiTest {
    @TempDir
    static Path home;

    private StudioWindow window;
    private TestDialogs dialogs;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        window = StudioUi.start(stage, home, s -> dialogs = new TestDialogs(s));
    }

    private EditorModel model() {
        return window.model();
    }

    private GraphCanvas canvas() {
        return window.canvas();
    }

    private static void waitUntil(BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition::getAsBoolean);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private String idOf(Class<?> type) {
        for (Layer l : model().graph().layers()) {
            if (type.isInstance(l.params())) {
                return l.id();
            }
        }
        return null;
    }

    private String badge(String layerId) {
        return canvas().nodeView(layerId).badgeText();
    }

    /** Replaces the whole text of an inspector field and commits it with Enter. */
    private void setField(FxRobot robot, String fieldId, String text) {
        robot.clickOn(fieldId);
        robot.push(KeyCode.CONTROL, KeyCode.A);
        robot.write(text);
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void starts_on_the_bundled_sample_with_every_conv_group_on_the_kpu(FxRobot robot) {
        Graph g = model().graph();
        assertThat(g.size()).isGreaterThan(40);
        assertThat(model().analysis().kpuGroups()).isNotEmpty();
        for (Layer l : g.layers()) {
            if (l.params() instanceof Conv2D) {
                assertThat(canvas().nodeView(l.id()).verdict()).as(l.name()).isEqualTo("KPU");
                assertThat(badge(l.id())).isEqualTo("KPU");
            }
        }
    }

    @Test
    void drag_conv_from_palette_connect_stride2_same_fix_undo_save_reopen(FxRobot robot) throws Exception {
        robot.interact(() -> window.documents().newDocument());
        String input = model().graph().ids().get(0);
        WaitForAsyncUtils.waitForFxEvents();

        // drag Conv2D from the palette onto the canvas, below the input
        Node inNode = canvas().nodeView(input);
        Bounds ib = inNode.localToScreen(inNode.getBoundsInLocal());
        robot.drag("#palette-Conv2D").moveTo(new Point2D(ib.getCenterX(), ib.getMaxY() + 120)).drop();
        waitUntil(() -> idOf(Conv2D.class) != null);
        String conv = idOf(Conv2D.class);
        assertThat(canvas().nodeView(conv)).isNotNull();

        // connect: drag from the input's output port to the conv's input port
        robot.drag(canvas().nodeView(input).outPort()).dropTo(canvas().nodeView(conv).inPort());
        waitUntil(() -> model().graph().inputsOf(conv).equals(List.of(input)));
        assertThat(canvas().edgeLabel(input, conv)).isEqualTo("240×320×3");
        // 32 maps of 240×320 do not fit the 2 MiB KPU RAM (MEM1): the badge says so; 8 filters fit
        assertThat(badge(conv)).isEqualTo("UNSUPPORTED");
        robot.clickOn(canvas().nodeView(conv));
        setField(robot, "#param-filters", "0");
        assertThat(((Conv2D) model().graph().layer(conv).params()).filters()).isEqualTo(32);
        assertThat(robot.lookup("#inspector-error").queryAs(Label.class).getText()).contains("filters");
        setField(robot, "#param-filters", "8");
        assertThat(((Conv2D) model().graph().layer(conv).params()).filters()).isEqualTo(8);
        assertThat(badge(conv)).isEqualTo("KPU"); // 3×3 stride 1 'same' pads 1 on every side

        // a connection the graph cannot take is refused with a reason
        robot.drag(canvas().nodeView(conv).outPort()).dropTo(canvas().nodeView(input));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model().graph().inputsOf(input)).isEmpty();
        assertThat(model().messageProperty().get()).startsWith("Cannot connect").contains("no input");

        // stride 2 with 'same' on the even 240×320 input: TF pads (0,1)
        robot.clickOn(canvas().nodeView(conv));
        setField(robot, "#param-strideH", "2");
        setField(robot, "#param-strideW", "2");
        Conv2D p = (Conv2D) model().graph().layer(conv).params();
        assertThat(p.strideH()).isEqualTo(2);
        assertThat(p.strideW()).isEqualTo(2);
        assertThat(p.padding()).isEqualTo(Padding.SAME);
        assertThat(badge(conv)).isEqualTo("UNSUPPORTED");
        robot.clickOn("#target-v4");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model().target()).isEqualTo(Target.V4);
        assertThat(badge(conv)).isEqualTo("KPU+CPU");
        robot.clickOn("#target-v3");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(badge(conv)).isEqualTo("UNSUPPORTED");
        assertThat(canvas().nodeView(conv).tooltipText()).contains("K3");
        Graph beforeFix = model().graph().copy();

        // Fix in the problems panel: a ZeroPadding2D appears, the conv turns KPU
        robot.clickOn("#fix-" + conv);
        waitUntil(() -> idOf(ZeroPadding2D.class) != null);
        String pad = idOf(ZeroPadding2D.class);
        assertThat(model().graph().inputsOf(conv)).containsExactly(pad);
        assertThat(((Conv2D) model().graph().layer(conv).params()).padding()).isEqualTo(Padding.VALID);
        assertThat(canvas().nodeView(pad)).isNotNull();
        assertThat(badge(conv)).isEqualTo("KPU");

        // Undo: back to the unfixed network
        robot.clickOn("#tb-undo");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model().graph()).isEqualTo(beforeFix);
        assertThat(idOf(ZeroPadding2D.class)).isNull();
        assertThat(badge(conv)).isEqualTo("UNSUPPORTED");

        // Save, then open the file again: the same graph
        Path file = home.resolve("ui-test.k210proj");
        dialogs.nextSave = file;
        robot.clickOn("#tb-save");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Files.exists(file)).isTrue();
        assertThat(model().isDirty()).isFalse();
        Graph saved = model().graph().copy();
        robot.interact(() -> window.documents().newDocument());
        assertThat(model().graph().size()).isEqualTo(1);
        dialogs.nextOpen = file;
        robot.clickOn("#tb-open");
        waitUntil(() -> model().graph().size() == saved.size() && !window.documents().busyProperty().get());
        assertThat(model().graph()).isEqualTo(saved);
        assertThat(model().fileProperty().get()).isEqualTo(file);
        assertThat(badge(conv)).isEqualTo("UNSUPPORTED");
    }

    @Test
    void needs_fixing_sample_fix_all_leaves_no_v3_problem_and_undo_restores_it(FxRobot robot) throws Exception {
        robot.interact(() -> window.documents().newFromTemplate("brief_needs_fixing"));
        waitUntil(() -> model().graph().name().contains("fix") || model().analysis().unsupportedCount() > 0);
        waitUntil(() -> !window.documents().busyProperty().get());
        assertThat(model().analysis().unsupportedCount()).isGreaterThan(0);
        Graph original = model().graph().copy();

        robot.clickOn("#fix-all");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model().analysis().report().withVerdict(Target.V3, Verdict.UNSUPPORTED)).isEmpty();
        assertThat(model().analysis().report().convertsFor(Target.V3)).isTrue();
        assertThat(window.problems().table().getItems()).noneMatch(p -> p.verdict() == Verdict.UNSUPPORTED);
        for (Layer l : model().graph().layers()) {
            assertThat(canvas().nodeView(l.id()).verdict()).as(l.name()).isNotEqualTo("UNSUPPORTED");
        }

        robot.clickOn("#tb-undo");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model().graph()).isEqualTo(original);
    }

    @Test
    void import_tflite_button_opens_a_real_model_as_an_unsaved_project(FxRobot robot) throws Exception {
        Path tflite = k210studio.testing.SharedFixtures.fixture("tflite/tinymaix_mnist_dw_float.tflite");
        dialogs.nextOpen = tflite;
        robot.clickOn("#tb-import");
        waitUntil(() -> !window.documents().busyProperty().get() && model().graph().name().contains("mnist"));
        assertThat(model().graph().inputIds()).hasSize(1);
        assertThat(model().fileProperty().get()).isNull();
        assertThat(model().isDirty()).isTrue();
        for (Layer l : model().graph().layers()) {
            assertThat(canvas().nodeView(l.id())).as(l.name()).isNotNull();
            assertThat(canvas().nodeView(l.id()).verdict()).as(l.name()).isNotNull();
            assertThat(model().graph().position(l.id())).as("laid out " + l.name()).isNotNull();
        }
        assertThat(window.stage().getTitle()).startsWith("•");
    }

    @Test
    void bad_files_show_a_clear_dialog_and_leave_the_work_untouched(FxRobot robot) throws Exception {
        Graph before = model().graph().copy();
        Path text = home.resolve("notes.txt");
        Files.writeString(text, "this is not a network");
        javafx.application.Platform.runLater(() -> window.documents().open(text));
        waitUntil(() -> robot.lookup("#error-message").tryQuery().isPresent());
        Label msg = robot.lookup("#error-message").queryAs(Label.class);
        assertThat(msg.getText()).contains("notes.txt").contains("neither a K210 Studio project");
        robot.clickOn("OK");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model().graph()).isEqualTo(before);

        Path corrupt = home.resolve("broken.k210proj");
        byte[] bytes = new byte[600];
        bytes[0] = 'P';
        bytes[1] = 'K';
        bytes[2] = 3;
        bytes[3] = 4;
        for (int i = 4; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37);
        }
        Files.write(corrupt, bytes);
        javafx.application.Platform.runLater(() -> window.documents().open(corrupt));
        waitUntil(() -> robot.lookup("#error-message").tryQuery().isPresent());
        Label msg2 = robot.lookup("#error-message").queryAs(Label.class);
        assertThat(msg2.getText()).isNotBlank().doesNotContain("Exception");
        robot.clickOn("OK");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model().graph()).isEqualTo(before);
        assertThat(model().fileProperty().get()).isNull();
    }
}
