package k210studio.app.simulate;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import k210studio.app.ChartLook;
import k210studio.app.work.Jobs;
import k210studio.ir.project.Project;
import k210studio.kpu.post.Detection;
import org.jfree.chart.fx.ChartViewer;

/**
 * The Simulate panel: pick an image (bundled samples, a file, drag-and-drop, or a folder to step through), see the
 * board input, run the float network and the K210 (compiled in memory, run on kpu-sim) side by side, read top-k or
 * boxes, the per-layer table with the time chart, and a layer's feature maps (float, K210, difference). With a
 * {@code .kmodel} opened on its own there is no float side. The state and the commands are the
 * {@link SimulateViewModel}'s; this class lays out its panes, which bind to it.
 */
public final class SimulatePanel extends BorderPane {
    private final SimulateViewModel vm;
    private final LayerTableView table;
    private final ChartViewer chartViewer = ChartLook.viewer(CycleChart.empty());
    private final SimulateToolbar toolbar;
    private final Supplier<Project> projectSource;

    /**
     * @param projectSource the project to simulate (the editor's current one); may return null when there is none
     */
    public SimulatePanel(Supplier<Project> projectSource) {
        this.projectSource = projectSource;
        vm = new SimulateViewModel(projectSource, Jobs.fx());
        vm.setErrorHandler(SimulatePanel::showError);
        setId("simulate-panel");
        toolbar = new SimulateToolbar(vm);
        setTop(toolbar);
        Label status = new Label();
        status.setId("sim-status");
        status.textProperty().bind(vm.statusProperty());
        HBox statusBar = new HBox(status);
        statusBar.setPadding(new Insets(3, 8, 3, 8));
        statusBar.getStyleClass().add("sim-status-bar");
        setBottom(statusBar);

        ScrollPane answersScroll = new ScrollPane(new AnswersView(vm));
        answersScroll.setFitToWidth(true);
        SplitPane top = new SplitPane(new PictureView(vm), answersScroll);
        top.setDividerPositions(0.62);

        table = new LayerTableView(vm);
        chartViewer.setId("sim-chart");
        vm.resultProperty().addListener((o, a, r) -> chartViewer.setChart(ChartLook.apply(r == null ? CycleChart.empty() : CycleChart.chart(r.layers(), r.totalMillis()))));
        ScrollPane mapsScroll = new ScrollPane(new FeatureMapsView(vm));
        mapsScroll.setFitToWidth(true);
        mapsScroll.setFitToHeight(true);
        TabPane tabs = new TabPane(new Tab("Time per layer", chartViewer), new Tab("Feature maps", mapsScroll));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("sim-tabs");
        vm.selectedRowProperty().addListener((o, a, b) -> {
            if (b != null) {
                tabs.getSelectionModel().select(1);
            }
        });
        SplitPane bottom = new SplitPane(table, tabs);
        bottom.setDividerPositions(0.5);
        SplitPane centre = new SplitPane(top, bottom);
        centre.setOrientation(Orientation.VERTICAL);
        centre.setDividerPositions(0.5);
        setCenter(centre);
    }

    /** The panel's state and commands. */
    public SimulateViewModel viewModel() {
        return vm;
    }

    /**
     * Lets "Change…" next to the preprocessing edit the project: the dialog's answer goes to {@code editor} (the studio
     * puts it into the editor's project settings), then the input line is shown again.
     */
    public void setPreprocessingEditor(java.util.function.Consumer<k210studio.app.preprocess.ModelInput.Answer> editor) {
        toolbar.setOnChangePreprocessing(editor == null ? null : () -> {
            Project p = projectSource.get();
            if (p == null) {
                return;
            }
            var c = new k210studio.converter.importing.ModelConventions(p.settings().preprocessing(), "the project",
                    p.settings().labels(), null, k210studio.app.preprocess.ModelInput.classCount(p.graph()), List.of());
            new k210studio.app.preprocess.PreprocessingDialog(getScene() == null ? null : getScene().getWindow(), p.settings().name(),
                    p.graph().copy(), c, true).showAndWait().ifPresent(a -> {
                        editor.accept(a);
                        vm.refreshInput();
                    });
        });
    }

    /** The name the studio gives the editor's document (title bar, prompts, status line agree on it). */
    public void setDocumentName(Supplier<String> name) {
        vm.setDocumentName(name);
    }

    /** Where errors go (a dialog by default). */
    public void setErrorHandler(BiConsumer<String, String> handler) {
        vm.setErrorHandler(handler);
    }

    public javafx.beans.property.ReadOnlyBooleanProperty runningProperty() {
        return vm.runningProperty();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<SimulationResult> resultProperty() {
        return vm.resultProperty();
    }

    public TableView<LayerRow> layerTable() {
        return table;
    }

    public ChartViewer chartViewer() {
        return chartViewer;
    }

    /** The K210 side's current boxes (what the picture shows). */
    public List<Detection> shownBoxes() {
        return vm.shownBoxes();
    }

    /** Simulate the editor's project (float vs K210). */
    public void useProject() {
        vm.useProject();
    }

    /** Open a kmodel V3/V4 and run it on the images (no float side). */
    public void openKmodel(Path file) {
        vm.openKmodel(file);
    }

    /** Shows a bundled image ("images/face.jpg") or an image file path. */
    public void selectImage(String assetOrPath) {
        vm.selectImage(assetOrPath);
    }

    /** Step through the images of a folder (sorted by name). */
    public void openFolder(Path dir) {
        vm.openFolder(dir);
    }

    /** The post-processing the controls describe; bad numbers raise IllegalArgumentException naming the field. */
    public PostProcessing postProcessing(List<String> labels) {
        return vm.postProcessing(labels);
    }

    /** Runs the simulation on the current image in the background (cancelling a run still going). */
    public void run() {
        vm.run();
    }

    /** Cancels a run in progress. */
    public void cancel() {
        vm.cancel();
    }

    private static void showError(String title, String message) {
        Alert a = new Alert(Alert.AlertType.ERROR, message);
        a.setHeaderText(title);
        a.setTitle("K210 Studio");
        a.show();
    }
}
