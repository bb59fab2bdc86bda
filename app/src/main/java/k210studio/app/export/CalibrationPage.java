package k210studio.app.export;

import java.io.File;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import k210studio.app.simulate.Images;

/** Page 2: the calibration folder (or the project's sample images), how many, the preprocessing and the first board input. */
final class CalibrationPage extends VBox {
    private final ExportViewModel vm;
    private final ImageView preview = new ImageView();
    private final Label info = new Label();

    CalibrationPage(ExportViewModel vm) {
        super(10);
        this.vm = vm;
        TextField folder = new TextField();
        folder.setId("export-calib-folder");
        folder.setPromptText("empty: the project's sample images");
        folder.setPrefColumnCount(40);
        folder.textProperty().bindBidirectional(vm.calibrationFolderProperty());
        Spinner<Integer> count = new Spinner<>(1, 10_000, vm.calibrationCountProperty().get());
        count.setId("export-calib-count");
        count.setEditable(true);
        count.getValueFactory().valueProperty().bindBidirectional(vm.calibrationCountProperty());
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Calibration images");
            File f = dc.showDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) {
                vm.calibrationFolderProperty().set(f.toString());
                refresh();
            }
        });
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        HBox.setHgrow(folder, Priority.ALWAYS);
        g.addRow(0, new Label("Folder"), new HBox(6, folder, browse));
        g.addRow(1, new Label("Use at most"), new HBox(6, count, new Label("images (sorted by name)")));
        preview.setPreserveRatio(true);
        preview.setFitWidth(320);
        preview.setId("export-calib-preview");
        info.setWrapText(true);
        getChildren().addAll(WizardPages.wrap("Calibration images set the quantization ranges of every layer. Use images like those the "
                + "camera will see (20–200). They are preprocessed exactly as on the board: resized to the model input "
                + "(bilinear), planar RGB or grey, then x = (pixel − mean) / std."), g, info, new Label("Board input of the first image:"), preview);
    }

    /** Reads the first image again (called when the page is shown or the folder changes). */
    void refresh() {
        CalibrationPreview p = vm.calibrationPreview();
        info.setText(p.text());
        if (p.planar() != null) {
            preview.setImage(Images.ofPlanar(p.planar(), p.c(), p.h(), p.w()));
        }
    }
}
