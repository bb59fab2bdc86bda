package k210studio.app.export;

import java.io.File;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import k210studio.app.Theme;

/** Page 5: the folder, the kmodel's name and how boot.py reads the output; then what was written. */
final class WritePage extends VBox {
    WritePage(ExportViewModel vm) {
        super(10);
        TextField folder = new TextField();
        folder.setId("export-out-folder");
        folder.setPrefColumnCount(40);
        folder.textProperty().bindBidirectional(vm.outputFolderProperty());
        TextField name = new TextField();
        name.setId("export-base-name");
        name.textProperty().bindBidirectional(vm.baseNameProperty());
        ComboBox<MaixPyScript.Mode> mode = new ComboBox<>();
        mode.getItems().addAll(MaixPyScript.Mode.values());
        mode.setId("export-script-mode");
        mode.valueProperty().bindBidirectional(vm.scriptModeProperty());
        Label result = new Label();
        result.setId("export-write-result");
        result.setWrapText(true);
        Theme.verdict(result, true);
        result.textProperty().bind(vm.writeResultProperty());
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Export folder");
            File f = dc.showDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) {
                vm.outputFolderProperty().set(f.toString());
            }
        });
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.addRow(0, new Label("Folder"), new HBox(6, folder, browse));
        g.addRow(1, new Label("kmodel name"), new HBox(6, name, new Label(".kmodel")));
        g.addRow(2, new Label("boot.py reads the output as"), mode);
        Label what = WizardPages.wrap(vm.writePlan());
        what.setId("export-write-plan");
        getChildren().addAll(what, g, result);
    }
}
