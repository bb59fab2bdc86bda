package k210studio.app.simulate;

import java.util.function.Supplier;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;
import k210studio.app.Theme;
import k210studio.ir.project.Project;

/** The Simulate panel in its own window, one per studio window (opening it again brings it to the front). */
public final class SimulateWindow {
    private final Stage stage = new Stage();
    private final SimulatePanel panel;

    public SimulateWindow(Window owner, Supplier<Project> project) {
        panel = new SimulatePanel(project);
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Simulate — K210 Studio");
        Scene scene = new Scene(panel, 1400, 900);
        Theme.track(scene);
        stage.setScene(scene);
        stage.setOnHidden(e -> panel.cancel());
    }

    public SimulatePanel panel() {
        return panel;
    }

    public Stage stage() {
        return stage;
    }

    /** Shows the window, re-reading the editor's project (float vs K210 mode). */
    public void show() {
        if (!stage.isShowing()) {
            panel.useProject();
        }
        stage.show();
        stage.toFront();
    }
}
