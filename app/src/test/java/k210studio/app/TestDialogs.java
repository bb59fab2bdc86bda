package k210studio.app;

import java.nio.file.Path;
import java.util.List;
import javafx.stage.Window;
import k210studio.app.files.FxDialogs;

/** The real dialogs (alerts are shown and clicked by the robot), except that file choosers and the save prompt answer what the test set. */
final class TestDialogs extends FxDialogs {
    Path nextOpen;
    Path nextSave;
    /** The answer to "Save changes?"; null shows the real dialog. */
    SaveChoice saveAnswer = SaveChoice.DISCARD;
    /** The answer to the import question (preprocessing, labels); null shows the real dialog. */
    k210studio.app.preprocess.ModelInput.Answer modelInputAnswer = new k210studio.app.preprocess.ModelInput.Answer(
            k210studio.converter.importing.PreprocessingPreset.UNIT.preprocessing(), List.of());

    TestDialogs(Window owner) {
        super(owner);
    }

    @Override
    public Path chooseOpen(List<String> extensions, String title) {
        return nextOpen;
    }

    @Override
    public Path chooseSave(String suggestedName) {
        return nextSave;
    }

    @Override
    public k210studio.app.preprocess.ModelInput.Answer askModelInput(String modelName, k210studio.ir.graph.Graph graph,
                                                                    k210studio.converter.importing.ModelConventions conventions) {
        return modelInputAnswer == null ? super.askModelInput(modelName, graph, conventions) : modelInputAnswer;
    }

    /** The document names the save prompt was asked about, in order. */
    final List<String> askedSaveFor = new java.util.ArrayList<>();

    @Override
    public SaveChoice askSave(String documentName, String beforeWhat) {
        askedSaveFor.add(documentName);
        return saveAnswer == null ? super.askSave(documentName, beforeWhat) : saveAnswer;
    }
}
