package k210studio.app.simulate;

import java.io.File;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;
import k210studio.ir.rules.Target;

/**
 * The Simulate window's tool rows: where the image and the model come from, the model's input preprocessing, and how
 * the outputs are read. The rows wrap (a flow of small groups) instead of hiding controls behind an overflow menu,
 * so Open .kmodel and Target stay in sight at any window width.
 */
final class SimulateToolbar extends VBox {
    private final SimulateViewModel vm;
    private Runnable changePreprocessing;
    private final Button change;

    SimulateToolbar(SimulateViewModel vm) {
        this.vm = vm;
        getStyleClass().add("sim-toolbar");
        Label mode = new Label();
        mode.setId("sim-mode");
        mode.setStyle("-fx-font-weight: bold");
        mode.textProperty().bind(vm.modeProperty());
        ComboBox<String> imageChoice = new ComboBox<>(vm.images().choices());
        imageChoice.setId("sim-image");
        imageChoice.setPromptText("Sample image");
        imageChoice.setConverter(new StringConverter<>() {
            @Override
            public String toString(String s) {
                return ImageSource.display(s);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        imageChoice.setMaxWidth(260);
        imageChoice.valueProperty().bindBidirectional(vm.images().choiceProperty());
        Label imageName = new Label();
        imageName.setId("sim-image-info");
        imageName.textProperty().bind(vm.imageInfoProperty());
        Button prev = button("◀", "sim-prev", "Previous image of the folder", () -> vm.step(-1));
        Button next = button("▶", "sim-next", "Next image of the folder", () -> vm.step(1));
        prev.disableProperty().bind(vm.folderOpenProperty().not());
        next.disableProperty().bind(vm.folderOpenProperty().not());
        ComboBox<Target> target = new ComboBox<>();
        target.getItems().addAll(Target.V3, Target.V4);
        target.setId("sim-target");
        target.setTooltip(new Tooltip("The kmodel version the project is compiled to for the K210 side"));
        target.valueProperty().bindBidirectional(vm.targetProperty());
        target.disableProperty().bind(vm.targetLockedProperty());
        FlowPane source = row(group(mode), group(imageChoice,
                        button("Image…", "sim-open-image", "Open an image file (or drop one on the picture)", this::chooseImage),
                        button("Folder…", "sim-open-folder", "Step through the images of a folder", this::chooseFolder), prev, next, imageName),
                group(button("Use project", "sim-use-project", "Simulate the network in the editor (float vs K210)", vm::useProject),
                        button("Open .kmodel…", "sim-open-kmodel", "Run an existing kmodel V3 or V4 on images", this::chooseKmodel),
                        new Label("Target"), target));

        Label input = new Label();
        input.setId("sim-input");
        input.textProperty().bind(vm.inputProperty());
        change = button("Change…", "sim-change-input", "Choose the preprocessing the model was trained with (saved in the project)",
                () -> {
                    if (changePreprocessing != null) {
                        changePreprocessing.run();
                    }
                });
        change.setVisible(false);
        change.managedProperty().bind(change.visibleProperty());
        change.disableProperty().bind(vm.targetLockedProperty());
        ComboBox<PostProcessing.Kind> kind = new ComboBox<>();
        kind.getItems().addAll(PostProcessing.Kind.values());
        kind.setId("sim-kind");
        kind.valueProperty().bindBidirectional(vm.kindProperty());
        ComboBox<String> labels = new ComboBox<>(vm.labelChoices());
        labels.setId("sim-labels");
        labels.setTooltip(new Tooltip("Class names: the project's, none, or a bundled label file (line i = class i)"));
        labels.valueProperty().bindBidirectional(vm.labelsChoiceProperty());
        TextField anchors = field("sim-anchors", 22, vm.anchorsProperty());
        anchors.setTooltip(new Tooltip("YOLOv2 anchors: width,height pairs in grid units"));
        anchors.disableProperty().bind(vm.kindProperty().isNotEqualTo(PostProcessing.Kind.YOLO2));
        Button run = button("Run", "sim-run", "Compile (if needed) and run float and K210 on the image", vm::run);
        run.setStyle("-fx-font-weight: bold");
        ProgressIndicator progress = new ProgressIndicator();
        progress.setPrefSize(18, 18);
        progress.visibleProperty().bind(vm.runningProperty());
        FlowPane decode = row(group(input, change), group(new Label("Outputs"), kind, labels),
                group(new Label("Anchors"), anchors, new Label("Threshold"), field("sim-threshold", 4, vm.thresholdProperty()),
                        new Label("NMS"), field("sim-nms", 4, vm.nmsProperty())), group(run, progress));
        getChildren().addAll(source, new Separator(Orientation.HORIZONTAL), decode);
        setPadding(new Insets(4, 8, 4, 8));
        setSpacing(3);
    }

    /** What "Change…" next to the preprocessing does (the studio edits the project); without one the button is hidden. */
    void setOnChangePreprocessing(Runnable r) {
        changePreprocessing = r;
        change.setVisible(r != null);
    }

    private static FlowPane row(Node... groups) {
        FlowPane f = new FlowPane(16, 4, groups);
        f.setAlignment(Pos.CENTER_LEFT);
        return f;
    }

    private static HBox group(Node... nodes) {
        HBox h = new HBox(6, nodes);
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }

    private static TextField field(String id, int columns, javafx.beans.property.StringProperty value) {
        TextField f = new TextField();
        f.setId(id);
        f.setPrefColumnCount(columns);
        f.textProperty().bindBidirectional(value);
        return f;
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }

    private void chooseImage() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open an image");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Images", SimulateViewModel.IMAGE_EXTENSIONS));
        File f = fc.showOpenDialog(window());
        if (f != null) {
            vm.selectImage(f.toString());
        }
    }

    private void chooseFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Folder of images");
        File f = dc.showDialog(window());
        if (f != null) {
            vm.openFolder(f.toPath());
        }
    }

    private void chooseKmodel() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open a kmodel");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("kmodel V3/V4", "*.kmodel"));
        File f = fc.showOpenDialog(window());
        if (f != null) {
            vm.openKmodel(f.toPath());
        }
    }

    static Button button(String text, String id, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }
}
