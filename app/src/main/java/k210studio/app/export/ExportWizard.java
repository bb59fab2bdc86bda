package k210studio.app.export;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import k210studio.app.Theme;
import k210studio.app.work.Jobs;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.ir.project.Project;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.Target;
import org.jfree.chart.fx.ChartViewer;

/**
 * The export wizard, five pages in one window (a paged dialog of our own: ControlsFX's Wizard sizes and
 * closes itself through a modal {@code Dialog}, which headless tests cannot drive reliably):
 * <ol>
 *   <li>{@link TargetPage}: V3 or V4, what each supports, which MaixPy firmware loads which, the project's verdicts;</li>
 *   <li>{@link CalibrationPage}: folder (or the project's sample images), count, preprocessing and the board input;</li>
 *   <li>{@link QuantizationPage}: weight bits (16 only for V3), the Dense-on-KPU threshold;</li>
 *   <li>{@link MemoryPage}: the compile runs (progress, Cancel); charts of KPU RAM per step (2 MiB line), the KPU RAM
 *       timeline and main RAM against the chosen firmware preset. A model that does not fit stops here, its layer red;</li>
 *   <li>{@link WritePage}: {@code .kmodel}, {@code labels.txt}, {@code boot.py}, each through a temp file and a rename.</li>
 * </ol>
 * State and commands are the {@link ExportViewModel}'s; this class holds the window, the header and the buttons.
 */
public final class ExportWizard {
    public static final int TARGET = ExportViewModel.TARGET;
    public static final int CALIBRATION = ExportViewModel.CALIBRATION;
    public static final int QUANTIZATION = ExportViewModel.QUANTIZATION;
    public static final int MEMORY = ExportViewModel.MEMORY;
    public static final int WRITE = ExportViewModel.WRITE;

    private final ExportViewModel vm;
    private final Stage stage = new Stage();
    private final BorderPane root = new BorderPane();
    private final Button next = new Button("Next >");
    private final CalibrationPage calibrationPage;
    private final MemoryPage memoryPage;
    private final List<Node> pages;

    public ExportWizard(Project project, Window owner) {
        this(project, owner, project.settings().name());
    }

    /** @param documentName the name the studio gives the document (its file's name once saved) */
    public ExportWizard(Project project, Window owner, String documentName) {
        vm = new ExportViewModel(project, Jobs.fx(), documentName);
        vm.setErrorHandler(ExportWizard::showError);
        vm.setCloser(stage::close);
        stage.setTitle("Export to K210 — " + documentName);
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        calibrationPage = new CalibrationPage(vm);
        memoryPage = new MemoryPage(vm);
        pages = List.of(new TargetPage(vm), calibrationPage, new QuantizationPage(vm), memoryPage, new WritePage(vm));

        Label header = new Label();
        header.setStyle("-fx-font-size: 16px; -fx-font-weight: bold");
        header.setPadding(new Insets(10, 12, 6, 12));
        Button back = new Button("< Back");
        Button cancel = new Button("Cancel");
        back.setId("export-back");
        next.setId("export-next");
        cancel.setId("export-cancel");
        back.setOnAction(e -> vm.back());
        next.setOnAction(e -> vm.next());
        cancel.setOnAction(e -> vm.cancel());
        back.disableProperty().bind(vm.backDisabledProperty());
        next.disableProperty().bind(vm.nextDisabledProperty());
        next.textProperty().bind(vm.nextTextProperty());
        ProgressBar progress = new ProgressBar(0);
        progress.setId("export-progress");
        progress.setPrefWidth(220);
        progress.visibleProperty().bind(vm.busyProperty());
        progress.progressProperty().bind(vm.progressProperty());
        Label progressText = new Label();
        progressText.textProperty().bind(vm.progressTextProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(8, progress, progressText, grow, back, next, cancel);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        buttons.setPadding(new Insets(8, 12, 10, 12));
        root.setTop(header);
        root.setBottom(buttons);
        vm.pageProperty().addListener((o, a, b) -> {
            int p = b.intValue();
            header.setText(vm.header(p));
            ScrollPane sp = new ScrollPane(pages.get(p));
            sp.setFitToWidth(true);
            sp.setPadding(new Insets(4, 12, 4, 12));
            root.setCenter(sp);
            if (p == CALIBRATION) {
                calibrationPage.refresh();
            }
        });
        stage.setScene(new Scene(root, 1100, 780));
        Theme.track(stage.getScene());
        stage.setOnCloseRequest(e -> vm.closing());
        vm.start();
    }

    /** The wizard's state and commands. */
    public ExportViewModel viewModel() {
        return vm;
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
    }

    public void setErrorHandler(BiConsumer<String, String> h) {
        vm.setErrorHandler(h);
    }

    public ReadOnlyIntegerProperty pageProperty() {
        return vm.pageProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return vm.busyProperty();
    }

    public K210Compiler.Result compiled() {
        return vm.compiled();
    }

    public CompileException failure() {
        return vm.failure();
    }

    public MemoryChartData chartData() {
        return vm.chartData();
    }

    /** The per-step chart's columns drawn red (the layer the compiler named). */
    public Set<String> guiltyColumns() {
        return vm.guiltyColumns();
    }

    public ChartViewer perLayerChart() {
        return memoryPage.perLayerChart();
    }

    public ChartViewer timelineChart() {
        return memoryPage.timelineChart();
    }

    public ChartViewer mainRamChart() {
        return memoryPage.mainRamChart();
    }

    public ExportFiles.Written written() {
        return vm.written();
    }

    public Target target() {
        return vm.target();
    }

    public boolean nextEnabled() {
        return !next.isDisabled();
    }

    public void next() {
        vm.next();
    }

    public void back() {
        vm.back();
    }

    /** Cancels a running compile or write; otherwise closes the wizard. */
    public void cancel() {
        vm.cancel();
    }

    /** Options from pages 1–3. */
    public CompileOptions options() throws CompileException {
        return vm.options();
    }

    public void setCalibrationFolder(Path p) {
        vm.setCalibrationFolder(p);
    }

    public void setOutputFolder(Path p) {
        vm.setOutputFolder(p);
    }

    public void setTarget(Target t) {
        vm.targetProperty().set(t);
    }

    public void setBudget(MemoryBudget b) {
        vm.budgetProperty().set(b);
    }

    private static void showError(String title, String message) {
        Platform.runLater(() -> {
            Alert a = new Alert(Alert.AlertType.ERROR, message);
            a.setHeaderText(title);
            a.setTitle("K210 Studio — export");
            a.show();
        });
    }
}
