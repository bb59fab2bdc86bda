package k210studio.app.files;

import java.nio.file.Path;
import java.util.List;

/** The questions and messages the studio puts to the user; the studio uses {@link FxDialogs}, tests may answer file choosers themselves. */
public interface Dialogs {

    enum SaveChoice { SAVE, DISCARD, CANCEL }

    /** A clear error: what happened and what to do. The user's work is never touched by the failed action. */
    void error(String title, String message);

    /** "Save changes to X before …?" */
    SaveChoice askSave(String documentName, String beforeWhat);

    /** Offer to restore an autosave found at start-up. */
    boolean askRestore(RecoveryStore.Recovery recovery);

    /** A file to open (project or model), or null if cancelled. */
    Path chooseOpen(List<String> extensions, String title);

    /** Where to save, or null if cancelled. */
    Path chooseSave(String suggestedName);

    /**
     * How an imported image model takes its input (and which labels it uses) when its file does not say; null keeps
     * the default preprocessing ([0, 1]) and no labels.
     */
    k210studio.app.preprocess.ModelInput.Answer askModelInput(String modelName, k210studio.ir.graph.Graph graph,
                                                             k210studio.converter.importing.ModelConventions conventions);
}
