package k210studio.app.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;
import k210studio.app.layout.LayeredLayout;
import k210studio.app.preprocess.ModelInput;
import k210studio.converter.importing.ModelConventions;
import k210studio.app.model.EditorModel;
import k210studio.app.model.Samples;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Position;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.project.ProjectFileException;
import k210studio.ir.project.ProjectSettings;

/**
 * File handling of the studio window: New, New from template, Open (projects and models, also
 * dropped on the window), Import, Save, Save As, recent files, the unsaved-changes prompt and the
 * autosave for crash recovery. Reading, importing and laying out big graphs run on a background
 * thread while {@link #busyProperty()} drives a progress indicator; a file that cannot be read gives
 * a clear dialog and leaves the current work exactly as it was.
 */
public final class DocumentController {
    /** Extensions offered by the Open dialog. */
    public static final List<String> OPEN_EXTENSIONS = List.of(ProjectFile.EXTENSION, ".tflite", ".h5", ".keras");

    private final EditorModel model;
    private final Dialogs dialogs;
    private final RecentFiles recent;
    private final RecoveryStore recovery;
    private final ModelImporter importer;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "studio-background");
        t.setDaemon(true);
        return t;
    });
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty busyText = new SimpleStringProperty("");
    private Runnable afterLoad = () -> { };
    private int autosavedRevision = -1;
    private long lastLoadMillis;
    private long lastShowMillis;

    public DocumentController(EditorModel model, Dialogs dialogs, Path home) {
        this.model = model;
        this.dialogs = dialogs;
        this.recent = new RecentFiles(home.resolve("recent.txt"));
        this.recovery = new RecoveryStore(home);
        this.importer = new ModelImporter();
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty busyTextProperty() {
        return busyText;
    }

    public RecentFiles recent() {
        return recent;
    }

    public RecoveryStore recovery() {
        return recovery;
    }

    /** Called on the FX thread after a document has been loaded (the window fits the view). */
    public void setAfterLoad(Runnable r) {
        this.afterLoad = r;
    }

    /** How long the last open/import took, reading + layout, in milliseconds. */
    public long lastLoadMillis() {
        return lastLoadMillis;
    }

    /** How long showing the last opened document took on the FX thread (check + canvas build), in milliseconds. */
    public long lastShowMillis() {
        return lastShowMillis;
    }

    /** The document's one name: title bar, save prompt, status line, Simulate and the export wizard use it. */
    public String documentName() {
        return DocumentName.of(model.fileProperty().get(), model.settings());
    }

    // ------------------------------------------------------------------ new / templates

    public void newDocument() {
        if (!confirmDiscard("starting a new network")) {
            return;
        }
        Graph g = new Graph("untitled");
        g.add("input", k210studio.app.palette.LayerCatalog.entry("InputLayer").create());
        g.setPosition(g.ids().get(0), new Position(0, 0));
        model.replace(new Project(g, ProjectSettings.defaults("untitled")), null);
        afterLoad.run();
    }

    public void newFromTemplate(String sampleName) {
        if (!confirmDiscard("opening the template")) {
            return;
        }
        runLoad("Opening template " + sampleName + "…", () -> withLayout(Samples.project(sampleName)), p -> {
            model.replace(p, null);
            model.info("New network from template \"" + documentName() + "\"");
        });
    }

    /** A bundled sample, laid out if it has no positions. */
    public Project sampleWithLayout(String name) {
        return withLayout(Samples.project(name));
    }

    /** Runs the after-load hook (fit the view, refresh menus) for a document set directly. */
    public void afterLoadNow() {
        afterLoad.run();
    }

    // ------------------------------------------------------------------ open / import

    /** Open via the file chooser. */
    public void open() {
        Path p = dialogs.chooseOpen(OPEN_EXTENSIONS, "Open a project or model");
        if (p != null) {
            open(p);
        }
    }

    /** Import TFLite via the file chooser. */
    public void importModel() {
        Path p = dialogs.chooseOpen(List.of(".tflite", ".h5", ".keras"), "Import a TensorFlow Lite or Keras model");
        if (p != null) {
            open(p);
        }
    }

    /** Opens a project, or imports a model file, judged by its content. The current work stays if it fails. */
    public void open(Path file) {
        if (!confirmDiscard("opening " + file.getFileName())) {
            return;
        }
        FileKind kind;
        try {
            kind = FileKind.of(file);
        } catch (IOException e) {
            dialogs.error("Cannot open " + file.getFileName(), "The file cannot be read: " + e.getMessage()
                    + "\n\nCheck that it exists and that you may read it.");
            return;
        }
        if (kind == FileKind.UNKNOWN) {
            dialogs.error("Cannot open " + file.getFileName(), file.getFileName() + " is neither a K210 Studio project ("
                    + ProjectFile.EXTENSION + ") nor a TensorFlow Lite (.tflite) or Keras (.h5, .keras) model."
                    + "\n\nOpen a project, or import a float .tflite model (the kind nncase takes).");
            return;
        }
        FileKind k = kind;
        ModelImporter.Result[] imported = {null};
        runLoad("Opening " + file.getFileName() + "…", () -> {
            if (k == FileKind.PROJECT) {
                return withLayout(ProjectFile.load(file));
            }
            imported[0] = importer.importModel(file, k);
            return withLayout(imported[0].project());
        }, p -> {
            Project shown = p;
            String input = "";
            if (imported[0] != null) {
                shown = p.withSettings(askModelInput(file, p, imported[0].conventions()));
                input = " — input " + ModelInput.describe(shown.settings().preprocessing(), 3)
                        + (shown.settings().labels().isEmpty() ? "" : ", " + shown.settings().labels().size() + " labels");
            }
            // an imported model becomes a new, unsaved project
            model.replace(shown, k == FileKind.PROJECT ? file : null);
            if (k != FileKind.PROJECT) {
                model.markUnsaved();
            }
            recent.add(file);
            List<String> notes = imported[0] == null ? List.of() : imported[0].notes();
            model.info((k == FileKind.PROJECT ? "Opened " : "Imported ") + file.getFileName() + " (" + p.graph().size()
                    + " layers, read and laid out in " + lastLoadMillis + " ms)" + input
                    + (notes.isEmpty() ? "" : " — " + notes.size() + " import note(s)"));
            if (imported[0] != null && imported[0].incomplete()) {
                dialogs.error("Imported " + file.getFileName() + " with problems",
                        "Some operators could not be imported, so the network is incomplete:\n\n"
                                + String.join("\n", notes.subList(0, Math.min(12, notes.size())))
                                + "\n\nThe rest is open for inspection; nncase would refuse these operators too.");
            }
        });
    }

    /** The settings of an imported project once the user has said what its file does not (asked once, at import). */
    private ProjectSettings askModelInput(Path file, Project p, ModelConventions c) {
        if (!ModelInput.needsQuestion(p.graph(), c)) {
            return p.settings();
        }
        ModelInput.Answer a = dialogs.askModelInput(file.getFileName().toString(), p.graph(), c);
        return a == null ? p.settings() : ModelInput.withAnswer(p.settings(), a);
    }

    /** A file named on the command line does not exist. */
    public void reportMissing(Path file) {
        dialogs.error("Cannot open " + file, "There is no file " + file.toAbsolutePath() + ".\n\nThe studio opens the bundled sample instead.");
    }

    /** Files dropped on the window: opens the first one. */
    public void dropped(List<java.io.File> files) {
        if (!files.isEmpty()) {
            open(files.get(0).toPath());
        }
    }

    /** Positions every layer that has none (imported models) with the layered layout. */
    static Project withLayout(Project p) {
        Graph g = p.graph();
        boolean missing = false;
        for (String id : g.ids()) {
            if (g.position(id) == null) {
                missing = true;
                break;
            }
        }
        if (missing) {
            Map<String, Position> pos = LayeredLayout.layout(g);
            for (String id : g.ids()) {
                if (g.position(id) == null) {
                    g.setPosition(id, pos.get(id));
                }
            }
        }
        return p;
    }

    /** A loading step that may fail with a message for the user. */
    @FunctionalInterface
    public interface Loading {
        Project load() throws Exception;
    }

    private void runLoad(String what, Loading loading, Consumer<Project> onLoaded) {
        busyText.set(what);
        busy.set(true);
        long t0 = System.nanoTime();
        Task<Project> task = new Task<>() {
            @Override
            protected Project call() throws Exception {
                return loading.load();
            }
        };
        task.setOnSucceeded(e -> {
            busy.set(false);
            busyText.set("");
            lastLoadMillis = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            onLoaded.accept(task.getValue());
            afterLoad.run();
            lastShowMillis = (System.nanoTime() - t1) / 1_000_000;
        });
        task.setOnFailed(e -> {
            busy.set(false);
            busyText.set("");
            Throwable x = task.getException();
            dialogs.error(what.replace("…", "").replace("Opening", "Cannot open"), messageOf(x));
        });
        background.submit(task);
    }

    static String messageOf(Throwable x) {
        if (x instanceof ProjectFileException || x instanceof ModelImportException) {
            return x.getMessage();
        }
        if (x instanceof IOException) {
            return "The file cannot be read: " + x.getMessage();
        }
        String m = x.getMessage();
        return (m == null ? x.getClass().getSimpleName() : m) + "\n\nThe file may be damaged or of a kind the studio cannot read.";
    }

    // ------------------------------------------------------------------ save

    /** @return true when saved */
    public boolean save() {
        Path f = model.fileProperty().get();
        if (f == null || !f.getFileName().toString().endsWith(ProjectFile.EXTENSION)) {
            return saveAs();
        }
        return saveTo(f);
    }

    public boolean saveAs() {
        Path to = dialogs.chooseSave(DocumentName.suggestedFile(model.fileProperty().get(), model.settings()));
        return to != null && saveTo(DocumentName.projectFile(to));
    }

    public boolean saveTo(Path to) {
        try {
            ProjectFile.save(model.project(), to);
        } catch (ProjectFileException | RuntimeException e) {
            dialogs.error("Cannot save " + to.getFileName(), e.getMessage() + "\n\nChoose another folder with Save As.");
            return false;
        }
        model.markSaved(to);
        recent.add(to);
        recovery.clear();
        model.info("Saved " + to.getFileName());
        return true;
    }

    // ------------------------------------------------------------------ unsaved changes, recovery

    /** Asks to save unsaved work before {@code beforeWhat}; false when the user cancels. */
    public boolean confirmDiscard(String beforeWhat) {
        if (!model.isDirty()) {
            return true;
        }
        Dialogs.SaveChoice c = dialogs.askSave(documentName(), beforeWhat);
        if (c == Dialogs.SaveChoice.CANCEL) {
            return false;
        }
        if (c == Dialogs.SaveChoice.SAVE) {
            return save();
        }
        return true;
    }

    /** Writes the autosave if there is unsaved work that changed since the last autosave. */
    public void autosave() {
        int rev = model.revisionProperty().get();
        if (!model.isDirty()) {
            recovery.clear();
            return;
        }
        if (rev == autosavedRevision) {
            return;
        }
        autosavedRevision = rev;
        byte[] bytes = ProjectFile.toBytes(model.project());
        Path origin = model.fileProperty().get();
        background.submit(() -> {
            try {
                recovery.write(bytes, origin);
            } catch (IOException e) {
                Platform.runLater(() -> model.error("Autosave failed: " + e.getMessage()));
            }
        });
    }

    /** At start-up: offers to restore what a crashed session autosaved; true when restored. */
    public boolean offerRecovery() {
        var pending = recovery.pending();
        if (pending.isEmpty()) {
            recovery.startSession();
            return false;
        }
        RecoveryStore.Recovery r = pending.get();
        recovery.startSession();
        if (!dialogs.askRestore(r)) {
            recovery.clear();
            return false;
        }
        try {
            Project p = withLayout(ProjectFile.load(r.file()));
            model.replace(p, r.origin());
            model.markUnsaved();
            model.info("Restored unsaved work from " + r.savedAt());
            afterLoad.run();
            return true;
        } catch (ProjectFileException e) {
            dialogs.error("Cannot restore the autosave", e.getMessage());
            recovery.clear();
            return false;
        }
    }

    /** Clean exit. */
    public void shutdown() {
        recovery.endSession();
        background.shutdownNow();
    }

    /** Runs on the background thread, then on the FX thread (for tests and long actions). */
    public void runInBackground(String what, Runnable work, Runnable then) {
        busyText.set(what);
        busy.set(true);
        Task<Void> t = new Task<>() {
            @Override
            protected Void call() {
                work.run();
                return null;
            }
        };
        t.setOnSucceeded(e -> {
            busy.set(false);
            busyText.set("");
            then.run();
        });
        t.setOnFailed(e -> {
            busy.set(false);
            busyText.set("");
            dialogs.error(what, messageOf(t.getException()));
        });
        background.submit(t);
    }

}
