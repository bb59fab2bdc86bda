package k210studio.app.files;

import java.io.File;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import k210studio.ir.project.ProjectFile;

/** {@link Dialogs} as JavaFX alerts and file choosers owned by the studio window. */
public class FxDialogs implements Dialogs {
    private final Window owner;
    private File lastDir;

    public FxDialogs(Window owner) {
        this.owner = owner;
    }

    @Override
    public void error(String title, String message) {
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(owner);
        a.setTitle("K210 Studio");
        a.setHeaderText(title);
        Label text = new Label(message);
        text.setId("error-message");
        text.setWrapText(true);
        text.setMaxWidth(520);
        a.getDialogPane().setContent(text);
        a.getDialogPane().setId("error-dialog");
        a.showAndWait();
    }

    @Override
    public SaveChoice askSave(String documentName, String beforeWhat) {
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Don't Save", ButtonBar.ButtonData.NO);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", save, discard, cancel);
        a.initOwner(owner);
        a.setTitle("K210 Studio");
        a.setHeaderText("Save changes to " + documentName + " before " + beforeWhat + "?");
        a.setContentText("Your changes will be lost if you don't save them.");
        a.getDialogPane().setId("save-dialog");
        Optional<ButtonType> r = a.showAndWait();
        if (r.isEmpty() || r.get() == cancel) {
            return SaveChoice.CANCEL;
        }
        return r.get() == save ? SaveChoice.SAVE : SaveChoice.DISCARD;
    }

    @Override
    public boolean askRestore(RecoveryStore.Recovery recovery) {
        ButtonType restore = new ButtonType("Restore", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Discard", ButtonBar.ButtonData.NO);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", restore, discard);
        a.initOwner(owner);
        a.setTitle("K210 Studio");
        a.setHeaderText("K210 Studio did not shut down cleanly.");
        a.setContentText("Unsaved work" + (recovery.origin() != null ? " on " + recovery.origin().getFileName() : "")
                + " was autosaved at " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault()).format(recovery.savedAt())
                + ". Restore it?");
        a.getDialogPane().setId("restore-dialog");
        return a.showAndWait().map(b -> b == restore).orElse(false);
    }

    @Override
    public k210studio.app.preprocess.ModelInput.Answer askModelInput(String modelName, k210studio.ir.graph.Graph graph,
                                                                    k210studio.converter.importing.ModelConventions conventions) {
        return new k210studio.app.preprocess.PreprocessingDialog(owner, modelName, graph, conventions).showAndWait().orElse(null);
    }

    @Override
    public Path chooseOpen(List<String> extensions, String title) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        List<String> globs = extensions.stream().map(e -> "*" + e).toList();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Networks (" + String.join(", ", globs) + ")", globs));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("All files", "*"));
        if (lastDir != null) {
            fc.setInitialDirectory(lastDir);
        }
        File f = fc.showOpenDialog(owner);
        if (f == null) {
            return null;
        }
        lastDir = f.getParentFile();
        return f.toPath();
    }

    @Override
    public Path chooseSave(String suggestedName) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save project");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("K210 Studio project", "*" + ProjectFile.EXTENSION));
        fc.setInitialFileName(suggestedName);
        if (lastDir != null) {
            fc.setInitialDirectory(lastDir);
        }
        File f = fc.showSaveDialog(owner);
        if (f == null) {
            return null;
        }
        lastDir = f.getParentFile();
        return DocumentName.projectFile(f.toPath());
    }
}
