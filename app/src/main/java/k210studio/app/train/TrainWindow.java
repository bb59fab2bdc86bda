package k210studio.app.train;

import java.io.File;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import k210studio.app.model.EditorModel;
import k210studio.converter.train.Backbones;
import k210studio.converter.train.EpochStats;
import k210studio.converter.train.Optimizer;
import org.jfree.chart.fx.ChartViewer;

/**
 * The Train window: dataset, what trains, the settings, Start/Stop, progress, live loss and accuracy curves and
 * the K210 accuracy. It only binds controls to a {@link TrainViewModel}; one per studio window.
 */
public final class TrainWindow {
    private final Stage stage = new Stage();
    private final TrainViewModel vm;
    private final TrainCharts charts = new TrainCharts();
    private final java.util.List<Object> keep = new java.util.ArrayList<>();

    public TrainWindow(Window owner, EditorModel editor) {
        vm = new TrainViewModel(editor, Platform::runLater);
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Train — K210 Studio");
        BorderPane root = new BorderPane();
        root.setId("train-window");
        root.setPadding(new Insets(10));
        root.setLeft(settings());
        ChartViewer loss = new ChartViewer(charts.loss);
        loss.setId("train-chart-loss");
        ChartViewer acc = new ChartViewer(charts.accuracy);
        acc.setId("train-chart-accuracy");
        VBox chartsBox = new VBox(8, loss, acc);
        VBox.setVgrow(loss, Priority.ALWAYS);
        VBox.setVgrow(acc, Priority.ALWAYS);
        chartsBox.setPadding(new Insets(0, 0, 0, 10));
        root.setCenter(chartsBox);
        root.setBottom(statusBar());
        vm.history().addListener((ListChangeListener<EpochStats>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && vm.history().isEmpty()) {
                    charts.clear();
                }
                c.getAddedSubList().forEach(charts::add);
            }
        });
        Scene scene = new Scene(root, 1200, 760);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().addAll(owner.getScene().getStylesheets());
        }
        stage.setScene(scene);
        stage.setOnHidden(e -> vm.stop());
    }

    public TrainViewModel viewModel() {
        return vm;
    }

    TrainCharts charts() {
        return charts;
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    private VBox settings() {
        Label path = new Label();
        path.setId("train-dataset-path");
        path.textProperty().bind(vm.datasetProperty().asString());
        path.setMaxWidth(390);
        Button choose = new Button("Choose dataset folder…");
        choose.setId("train-choose-dataset");
        choose.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Dataset: a folder with one sub-folder of images per class");
            File f = dc.showDialog(stage);
            if (f != null) {
                vm.chooseDataset(f.toPath());
            }
        });
        Label summary = new Label();
        summary.setId("train-dataset-summary");
        summary.setWrapText(true);
        summary.setMaxWidth(390);
        summary.textProperty().bind(vm.summaryProperty());

        ToggleGroup g = new ToggleGroup();
        RadioButton backbone = new RadioButton("MobileNet v1 0.25 backbone + new head");
        backbone.setId("train-source-backbone");
        RadioButton design = new RadioButton("This design, every layer");
        design.setId("train-source-design");
        backbone.setToggleGroup(g);
        design.setToggleGroup(g);
        (vm.sourceProperty().get() == TrainViewModel.Source.BACKBONE ? backbone : design).setSelected(true);
        g.selectedToggleProperty().addListener((o, a, b) -> vm.sourceProperty().set(b == design ? TrainViewModel.Source.DESIGN
                : TrainViewModel.Source.BACKBONE));
        Spinner<Integer> fine = new Spinner<>(0, Backbones.MOBILENET_BLOCKS, vm.fineTuneBlocksProperty().get());
        fine.setId("train-fine-tune");
        bind(fine, vm.fineTuneBlocksProperty());
        fine.disableProperty().bind(design.selectedProperty());

        Spinner<Integer> epochs = new Spinner<>(1, 1000, vm.epochsProperty().get());
        epochs.setId("train-epochs");
        epochs.setEditable(true);
        bind(epochs, vm.epochsProperty());
        TextField lr = new TextField(Double.toString(vm.learningRateProperty().get()));
        lr.setId("train-lr");
        lr.textProperty().addListener((o, a, b) -> {
            try {
                double v = Double.parseDouble(b.trim());
                if (v > 0) {
                    vm.learningRateProperty().set(v);
                }
            } catch (NumberFormatException e) {
                // keep the last valid value
            }
        });
        vm.learningRateProperty().addListener((o, a, b) -> {
            if (!lr.isFocused()) {
                lr.setText(Double.toString(b.doubleValue()));
            }
        });
        ComboBox<Optimizer.Kind> opt = new ComboBox<>();
        opt.setId("train-optimizer");
        opt.getItems().addAll(Optimizer.Kind.values());
        opt.valueProperty().bindBidirectional(vm.optimizerProperty());
        Spinner<Integer> batch = new Spinner<>(1, 512, vm.batchSizeProperty().get());
        batch.setId("train-batch");
        bind(batch, vm.batchSizeProperty());
        Spinner<Double> val = new Spinner<>(0.0, 0.9, vm.valSplitProperty().get(), 0.05);
        val.setId("train-val-split");
        javafx.beans.property.ObjectProperty<Double> split = vm.valSplitProperty().asObject();
        keep.add(split);
        val.getValueFactory().valueProperty().bindBidirectional(split);
        CheckBox aug = new CheckBox("Augment (random crop, flip, brightness)");
        aug.selectedProperty().bindBidirectional(vm.augmentProperty());
        CheckBox k210 = new CheckBox("K210 accuracy after each epoch");
        k210.setId("train-k210-each");
        k210.selectedProperty().bindBidirectional(vm.k210EachEpochProperty());

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        int r = 0;
        grid.addRow(r++, new Label("Fine-tune last blocks"), fine);
        grid.addRow(r++, new Label("Epochs"), epochs);
        grid.addRow(r++, new Label("Learning rate"), lr);
        grid.addRow(r++, new Label("Optimizer"), opt);
        grid.addRow(r++, new Label("Batch size"), batch);
        grid.addRow(r, new Label("Validation split"), val);

        Button start = new Button("Start");
        start.setId("train-start");
        start.setDefaultButton(true);
        start.disableProperty().bind(vm.runningProperty());
        start.setOnAction(e -> vm.start());
        Button stop = new Button("Stop");
        stop.setId("train-stop");
        stop.disableProperty().bind(vm.runningProperty().not());
        stop.setOnAction(e -> vm.stop());
        Button check = new Button("Check K210 now");
        check.setId("train-k210-now");
        check.disableProperty().bind(vm.runningProperty().not());
        check.setOnAction(e -> vm.checkK210Now());
        VBox box = new VBox(8, new Label("Dataset"), choose, path, summary, new Label("Network"), backbone, design, grid, aug, k210,
                new HBox(8, start, stop, check));
        box.setPrefWidth(400);
        box.setMinWidth(400);
        return box;
    }

    /** Two-way binding of a spinner to a view-model property (the wrapper is kept: bidirectional bindings are weak). */
    private void bind(Spinner<Integer> sp, javafx.beans.property.IntegerProperty p) {
        javafx.beans.property.ObjectProperty<Integer> o = p.asObject();
        keep.add(o);
        sp.getValueFactory().valueProperty().bindBidirectional(o);
    }

    private VBox statusBar() {
        ProgressBar bar = new ProgressBar();
        bar.setId("train-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progressProperty());
        Label status = new Label();
        status.setId("train-status");
        status.textProperty().bind(vm.statusProperty());
        Label k210 = new Label();
        k210.setId("train-k210");
        k210.textProperty().bind(vm.k210TextProperty());
        VBox b = new VBox(4, bar, status, k210);
        b.setPadding(new Insets(8, 0, 0, 0));
        return b;
    }
}
