package k210studio.app.evaluate;

import java.io.File;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import k210studio.app.ChartLook;
import k210studio.app.Theme;
import k210studio.converter.evaluate.EvalReport;
import k210studio.converter.evaluate.doctor.RankedLayer;
import k210studio.ir.project.Project;
import org.jfree.chart.fx.ChartViewer;

/**
 * The Evaluate window: a dataset folder and the K210 model (V3/V4 compiled from the project, or a .kmodel), Run and
 * Cancel with a progress bar and the time left, the figures float vs K210, the per-class accuracy chart, the K210
 * confusion matrix, the quantization doctor's tab (per-layer SNR chart, ranked layers, Apply), and the worst images first (double-click or "Open in Simulate" shows one in the Simulate view).
 * It only binds controls to an {@link EvaluateViewModel}; one per studio window.
 */
public final class EvaluateWindow {
    private static final double WIDTH = 440;

    private final Stage stage = new Stage();
    private final EvaluateViewModel vm;
    private final ChartViewer chart = ChartLook.viewer(ClassChart.chart(java.util.List.of(), null));
    private final TableView<EvalFigures.ConfusionRow> confusion = new TableView<>();
    private final ChartViewer doctorChart = ChartLook.viewer(DoctorChart.chart(null));

    /**
     * @param memory   the file remembering the last dataset folder (null: none)
     * @param simulate opens the Simulate view on a worst image
     */
    public EvaluateWindow(Window owner, Supplier<Project> project, Path memory, Consumer<EvaluateViewModel.SimulateRequest> simulate) {
        vm = new EvaluateViewModel(project, Platform::runLater, memory);
        vm.setSimulateHandler(simulate);
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Evaluate on a Dataset — K210 Studio");
        BorderPane root = new BorderPane();
        root.setId("evaluate-window");
        root.setPadding(new Insets(10));
        root.setLeft(settings());
        chart.setId("eval-chart");
        confusion.setId("eval-confusion");
        confusion.setPlaceholder(new Label("The K210 confusion matrix (rows: truth, columns: K210 top-1) of labelled class folders"));
        TabPane tabs = new TabPane(new Tab("Accuracy per class", chart), new Tab("Confusion matrix", confusion), new Tab("Doctor", doctorPane()));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("eval-tabs");
        SplitPane centre = new SplitPane(tabs, worstPane());
        centre.setDividerPositions(0.56);
        BorderPane.setMargin(centre, new Insets(0, 0, 0, 10));
        root.setCenter(centre);
        vm.figuresProperty().addListener((o, a, f) -> show(f));
        vm.doctorReportProperty().addListener((o, a, d) -> doctorChart.setChart(ChartLook.apply(DoctorChart.chart(d))));
        Scene scene = new Scene(root, 1300, 780);
        Theme.track(scene);
        stage.setScene(scene);
        stage.setOnHidden(e -> vm.cancel());
    }

    public EvaluateViewModel viewModel() {
        return vm;
    }

    public Stage stage() {
        return stage;
    }

    /** Shows the window, compiling for the editor's current target (unless a .kmodel is chosen). */
    public void show() {
        vm.followProjectTarget();
        stage.show();
        stage.toFront();
    }

    private VBox settings() {
        Label path = new Label();
        path.setId("eval-dataset-path");
        path.textProperty().bind(fileName(vm.datasetProperty(), false));
        path.setMaxWidth(WIDTH - 10);
        Button choose = new Button("Choose dataset folder…");
        choose.setId("eval-choose-dataset");
        choose.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Dataset: class sub-folders, images with VOC/YOLO boxes, or just images");
            Path start = vm.initialFolder();
            if (start != null) {
                dc.setInitialDirectory((start.getParent() != null ? start.getParent() : start).toFile());
            }
            File f = dc.showDialog(stage);
            if (f != null) {
                vm.chooseDataset(f.toPath());
            }
        });
        Label summary = wrapped("eval-dataset-summary");
        summary.textProperty().bind(vm.summaryProperty());

        ToggleGroup g = new ToggleGroup();
        RadioButton v3 = new RadioButton(EvaluateViewModel.Source.V3.title());
        v3.setId("eval-source-v3");
        RadioButton v4 = new RadioButton(EvaluateViewModel.Source.V4.title());
        v4.setId("eval-source-v4");
        RadioButton km = new RadioButton(EvaluateViewModel.Source.KMODEL.title());
        km.setId("eval-source-kmodel");
        for (RadioButton b : new RadioButton[] {v3, v4, km}) {
            b.setToggleGroup(g);
        }
        Runnable sync = () -> g.selectToggle(switch (vm.sourceProperty().get()) {
            case V3 -> v3;
            case V4 -> v4;
            case KMODEL -> km;
        });
        sync.run();
        vm.sourceProperty().addListener((o, a, b) -> sync.run());
        g.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                sync.run();
            } else {
                vm.sourceProperty().set(b == v3 ? EvaluateViewModel.Source.V3 : b == v4 ? EvaluateViewModel.Source.V4 : EvaluateViewModel.Source.KMODEL);
            }
        });
        Button chooseKm = new Button("Choose .kmodel…");
        chooseKm.setId("eval-choose-kmodel");
        chooseKm.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("A V3 or V4 kmodel compiled from this project's network");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("kmodel", "*.kmodel"));
            File f = fc.showOpenDialog(stage);
            if (f != null) {
                vm.chooseKmodel(f.toPath());
            }
        });
        Label kmPath = new Label();
        kmPath.setId("eval-kmodel-path");
        kmPath.textProperty().bind(fileName(vm.kmodelProperty(), true));

        CheckBox doctor = new CheckBox("Quantization doctor (per-layer error, the layers that cost agreement, fixes)");
        doctor.setId("eval-doctor");
        doctor.setWrapText(true);
        doctor.selectedProperty().bindBidirectional(vm.doctorProperty());
        Button run = new Button("Run");
        run.setId("eval-run");
        run.setDefaultButton(true);
        run.disableProperty().bind(vm.runningProperty());
        run.setOnAction(e -> vm.start());
        Button cancel = new Button("Cancel");
        cancel.setId("eval-cancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        ProgressBar bar = new ProgressBar(0);
        bar.setId("eval-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progressProperty());
        Label progressText = new Label();
        progressText.setId("eval-progress-text");
        progressText.textProperty().bind(vm.progressTextProperty());
        Label status = wrapped("eval-status");
        status.textProperty().bind(vm.statusProperty());
        Label error = wrapped("eval-error");
        error.setStyle("-fx-text-fill: #d32f2f;");
        error.textProperty().bind(vm.errorProperty());

        TableView<EvalFigures.Figure> figures = new TableView<>();
        figures.setId("eval-figures");
        figures.setPlaceholder(new Label("Run to see float vs K210"));
        figures.getColumns().add(column("", EvalFigures.Figure::name, 150));
        figures.getColumns().add(column("float", EvalFigures.Figure::floatValue, 85));
        figures.getColumns().add(column("K210", EvalFigures.Figure::k210Value, 175));
        figures.setPrefHeight(150);
        figures.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        vm.figuresProperty().addListener((o, a, f) -> figures.getItems().setAll(f.figures()));

        VBox box = new VBox(8, heading("Dataset"), choose, path, summary, heading("K210 model"), v3, v4, new HBox(8, km, chooseKm), kmPath,
                doctor, new HBox(8, run, cancel), bar, progressText, status, error, heading("Figures"), figures);
        VBox.setVgrow(figures, Priority.ALWAYS);
        box.setPrefWidth(WIDTH);
        box.setMinWidth(WIDTH);
        return box;
    }

    private VBox worstPane() {
        ListView<EvalFigures.Worst> list = new ListView<>(vm.worst());
        list.setId("eval-worst");
        list.setPlaceholder(new Label("The images where the K210 departs most from float appear here"));
        list.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                vm.openInSimulate(list.getSelectionModel().getSelectedItem());
            }
        });
        Button open = new Button("Open in Simulate");
        open.setId("eval-open-simulate");
        open.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        open.setOnAction(e -> vm.openInSimulate(list.getSelectionModel().getSelectedItem()));
        VBox.setVgrow(list, Priority.ALWAYS);
        VBox b = new VBox(6, heading("Worst images (largest disagreement first)"), list, open);
        b.setPadding(new Insets(0, 0, 0, 8));
        return b;
    }

    /** The Doctor tab: the per-layer SNR chart, the ranked layers with their suggestions and Apply. */
    private VBox doctorPane() {
        doctorChart.setId("eval-doctor-chart");
        Label text = new Label();
        text.setId("eval-doctor-text");
        text.setWrapText(true);
        text.textProperty().bind(vm.doctorTextProperty());
        ListView<RankedLayer> list = new ListView<>(vm.ranking());
        list.setId("eval-doctor-ranking");
        list.setPlaceholder(new Label("Tick \"Quantization doctor\" and run: the layers ranked by the agreement they cost appear here"));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(RankedLayer r, boolean empty) {
                super.updateItem(r, empty);
                setText(empty || r == null ? null : DoctorRows.row(r));
            }
        });
        Button apply = new Button("Apply and re-run");
        apply.setId("eval-doctor-apply");
        apply.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull().or(vm.runningProperty()));
        apply.setOnAction(e -> vm.apply(list.getSelectionModel().getSelectedItem()));
        doctorChart.setMinHeight(280);
        list.setPrefHeight(220);
        VBox.setVgrow(doctorChart, Priority.ALWAYS);
        VBox b = new VBox(6, doctorChart, text, list, apply);
        b.setPadding(new Insets(6));
        return b;
    }

    /** The chart and the confusion matrix of new figures. */
    private void show(EvalFigures f) {
        EvalReport r = vm.reportProperty().get();
        chart.setChart(ChartLook.apply(ClassChart.chart(f.classes(), r == null ? null : r.target().toUpperCase(java.util.Locale.ROOT))));
        confusion.getColumns().clear();
        confusion.getColumns().add(column("truth \\ K210", EvalFigures.ConfusionRow::truth, 120));
        for (int j = 0; j < f.confusionClasses().size(); j++) {
            int col = j;
            TableColumn<EvalFigures.ConfusionRow, Integer> c = new TableColumn<>(f.confusionClasses().get(j));
            c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(d.getValue().counts().get(col)));
            c.setPrefWidth(Math.max(42, 9 * f.confusionClasses().get(j).length()));
            c.setSortable(false);
            confusion.getColumns().add(c);
        }
        confusion.getItems().setAll(f.confusion());
    }

    private static <T> TableColumn<T, String> column(String title, java.util.function.Function<T, String> value, double width) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }

    /** A path as shown: the whole path (datasets) or the file name (kmodels), empty when none is chosen. */
    private static javafx.beans.binding.StringBinding fileName(javafx.beans.value.ObservableValue<Path> p, boolean nameOnly) {
        return javafx.beans.binding.Bindings.createStringBinding(() -> p.getValue() == null ? ""
                : (nameOnly ? p.getValue().getFileName() : p.getValue()).toString(), p);
    }

    private static Label heading(String text) {
        Label l = new Label(text);
        l.setStyle("-fx-font-weight: bold;");
        return l;
    }

    private static Label wrapped(String id) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.setMaxWidth(WIDTH - 10);
        return l;
    }
}
