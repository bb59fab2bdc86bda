package k210studio.app;

import static org.assertj.core.api.Assertions.assertThat;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.stage.Stage;
import k210studio.app.layout.LayeredLayout;
import k210studio.app.model.Analysis;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.Target;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Benchmark (printed, not asserted against a clock): a 300-layer residual network opened in the
 * real window. Measures checker + shapes, layout, the canvas rebuild on the FX thread, and one
 * parameter edit round trip (command → re-check → repaint), which is what a user feels.
 */
@ExtendWith(ApplicationExtension.class)
class LargeGraphBenchTest {
    @TempDir
    static Path home;
    private StudioWindow window;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        window = StudioUi.show(stage, home.resolve("bench"), TestDialogs::new);
    }

    /** Input → 1 stem group → residual blocks (conv·BN·ReLU·conv·BN·add·ReLU) → head; exactly {@code layers} layers. */
    static Graph residualNetwork(int layers) {
        Graph g = new Graph("resnet" + layers);
        String x = g.add("input", new Input(TensorShape.hwc(64, 64, 16)));
        x = g.add("pad", ZeroPadding2D.symmetric(1), x);
        x = g.add("stem", Conv2D.of(16, 3, 1, Padding.VALID), x);
        while (g.size() + 7 + 3 <= layers) {
            String a = g.add("conv", Conv2D.of(16, 3, 1, Padding.SAME), x);
            a = g.add("bn", BatchNormalization.keras(), a);
            a = g.add("relu", ReLU.plain(), a);
            a = g.add("conv", Conv2D.of(16, 3, 1, Padding.SAME), a);
            a = g.add("bn", BatchNormalization.keras(), a);
            a = g.add("add", new Add(), a, x);
            x = g.add("relu", ReLU.plain(), a);
        }
        while (g.size() + 3 < layers) {
            x = g.add("relu", ReLU.plain(), x);
        }
        x = g.add("gap", new GlobalAveragePooling2D(false), x);
        x = g.add("flatten", new Flatten(), x);
        g.add("dense", new Dense(10, true, k210studio.ir.layer.ActivationFn.SOFTMAX), x);
        return g;
    }

    @Test
    void a_300_layer_network_opens_and_edits_without_blocking(FxRobot robot) throws Exception {
        Graph g = residualNetwork(300);
        assertThat(g.size()).isEqualTo(300);

        // warm up, then time the pure computations
        for (int i = 0; i < 3; i++) {
            Analysis.of(g, Target.V3, MemoryBudget.MAIXPY_MINIMUM);
            LayeredLayout.layout(g);
        }
        int runs = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            Analysis.of(g, Target.V3, MemoryBudget.MAIXPY_MINIMUM);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            LayeredLayout.layout(g);
        }
        long t2 = System.nanoTime();
        double lintMs = (t1 - t0) / 1e6 / runs;
        double layoutMs = (t2 - t1) / 1e6 / runs;

        // open it through the real window: file read + layout off the FX thread
        Path file = home.resolve("big.k210proj");
        ProjectFile.save(new Project(g, ProjectSettings.defaults("big")), file);
        long o0 = System.nanoTime();
        robot.interact(() -> window.documents().open(file));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> window.model().graph().size() == 300);
        WaitForAsyncUtils.waitForFxEvents();
        long o1 = System.nanoTime();
        assertThat(window.canvas().nodeView(window.model().graph().ids().get(299))).isNotNull();

        // the FX thread's share: one full canvas rebuild
        long[] refresh = new long[1];
        robot.interact(() -> {
            long a = System.nanoTime();
            window.canvas().refresh();
            refresh[0] = System.nanoTime() - a;
        });
        // one edit round trip as the inspector does it
        String conv = window.model().graph().ids().get(10);
        long[] edit = new long[1];
        robot.interact(() -> {
            long a = System.nanoTime();
            Conv2D c = (Conv2D) window.model().graph().layer(conv).params();
            window.model().setParams(conv, c.withStrides(1, 1).withKernel(1, 1));
            edit[0] = System.nanoTime() - a;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(((Conv2D) window.model().graph().layer(conv).params()).kernelH()).isEqualTo(1);

        System.out.printf("BENCH 300 layers: lint (shapes + K210 checker, both targets) %.1f ms, layout %.1f ms, "
                        + "open from file: background read + layout %d ms, then check + canvas build on the FX thread %d ms (total until idle %d ms); "
                        + "canvas refresh on FX thread %.1f ms, one edit round trip (command + re-check + repaint) %.1f ms%n",
                lintMs, layoutMs, window.documents().lastLoadMillis(), window.documents().lastShowMillis(), (o1 - o0) / 1_000_000,
                refresh[0] / 1e6, edit[0] / 1e6);
    }
}
