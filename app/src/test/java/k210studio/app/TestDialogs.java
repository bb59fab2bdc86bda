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
    public SaveChoice askSave(String documentName, String beforeWhat) {
        return saveAnswer == null ? super.askSave(documentName, beforeWhat) : saveAnswer;
    }
}
