package k210studio.app.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.rules.Fix;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.Target;
import k210studio.app.palette.LayerCatalog;
import k210studio.ir.edit.AddLayerCommand;
import k210studio.ir.edit.CompoundCommand;
import k210studio.ir.edit.ConnectCommand;
import k210studio.ir.edit.EditCommand;
import k210studio.ir.edit.EditHistory;
import k210studio.ir.edit.MoveCommand;
import k210studio.ir.edit.RemoveLayerCommand;
import k210studio.ir.edit.SetParamsCommand;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;

/**
 * The view model of one open network, usable without a window: the {@link Graph}, its undo
 * history, the current K210 target, the selection, the file it came from, and the analysis
 * (shapes, rule verdicts, memory) recomputed after every change. Every change to the graph goes
 * through an {@link EditCommand} so that it can be undone; the views only read.
 *
 * <p>Use from one thread (the FX thread in the studio).
 */
public final class EditorModel {

    /** Told after every change of graph, history or target, with the fresh analysis. */
    @FunctionalInterface
    public interface ChangeListener {
        void changed(EditorModel model);
    }

    private Graph graph;
    private ProjectSettings settings = ProjectSettings.defaults("untitled");
    private EditHistory history;
    private Analysis analysis;
    private final ObjectProperty<Target> target = new SimpleObjectProperty<>(Target.V3);
    private final ObjectProperty<MemoryBudget> budget = new SimpleObjectProperty<>(MemoryBudget.MAIXPY_MINIMUM);
    private final ObservableSet<String> selection = FXCollections.observableSet(new LinkedHashSet<>());
    private final ObjectProperty<Path> file = new SimpleObjectProperty<>();
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper();
    private final ReadOnlyIntegerWrapper revision = new ReadOnlyIntegerWrapper();
    private final ReadOnlyObjectWrapper<String> undoText = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<String> redoText = new ReadOnlyObjectWrapper<>();
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty messageIsError = new SimpleBooleanProperty();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    /** True when the document was never saved and holds unsaved content (e.g. a restored recovery file). */
    private boolean forcedDirty;

    public EditorModel(Graph graph) {
        budget.addListener((o, a, b) -> {
            if (graph != null && history != null) {
                reanalyse();
            }
        });
        target.addListener((o, a, b) -> {
            if (graph != null && history != null) {
                reanalyse();
            }
        });
        replace(graph, null);
    }

    // ------------------------------------------------------------------ document

    /** Starts editing another project (after New/Open/Import): clears history and selection; takes the target from the settings. */
    public void replace(Project project, Path from) {
        settings = project.settings();
        Target t = Target.parse(settings.target());
        graph = null;
        if (target.get() != t) {
            if (history != null) {
                history.removeListener(this::historyChanged);
                history = null;
            }
            target.set(t);
        }
        replace(project.graph(), from);
    }

    /** Starts editing another graph (after New/Open/Import): clears history and selection. */
    public void replace(Graph newGraph, Path from) {
        if (history != null) {
            history.removeListener(this::historyChanged);
        }
        graph = newGraph;
        history = new EditHistory(newGraph);
        history.addListener(this::historyChanged);
        selection.clear();
        file.set(from);
        forcedDirty = false;
        reanalyse();
    }

    /** Marks the document as holding unsaved work even though nothing was edited (a restored autosave). */
    public void markUnsaved() {
        forcedDirty = true;
        refreshFlags();
    }

    public void markSaved(Path to) {
        file.set(to);
        forcedDirty = false;
        history.markSaved();
    }

    public Graph graph() {
        return graph;
    }

    /** The project settings as they will be saved: the current target included. */
    public ProjectSettings settings() {
        return settings.withTarget(target.get().name());
    }

    /**
     * Replaces the project settings (labels, preprocessing, sample images …) without an undo step of their own;
     * commands that change them together with the graph (training) call this from their apply/undo.
     */
    public void setSettings(ProjectSettings s) {
        settings = java.util.Objects.requireNonNull(s);
        reanalyse();
    }

    /** The document as it would be saved now (a copy of the graph, safe to write from another thread). */
    public Project project() {
        return new Project(graph.copy(), settings());
    }

    public EditHistory history() {
        return history;
    }

    public Analysis analysis() {
        return analysis;
    }

    public ShapeResult shapes() {
        return analysis.shapes();
    }

    public ObjectProperty<MemoryBudget> budgetProperty() {
        return budget;
    }

    public ObjectProperty<Target> targetProperty() {
        return target;
    }

    public Target target() {
        return target.get();
    }

    public void setTarget(Target t) {
        target.set(t);
    }

    public ObservableSet<String> selection() {
        return selection;
    }

    /** The single selected layer id, or null when none or several are selected. */
    public String selectedId() {
        return selection.size() == 1 ? selection.iterator().next() : null;
    }

    public void select(Collection<String> ids) {
        selection.clear();
        for (String id : ids) {
            if (graph.contains(id)) {
                selection.add(id);
            }
        }
    }

    public void select(String id) {
        select(id == null ? List.of() : List.of(id));
    }

    public ObjectProperty<Path> fileProperty() {
        return file;
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public boolean isDirty() {
        return dirty.get();
    }

    /** Incremented after every change; views listen to this to refresh. */
    public ReadOnlyIntegerProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<String> undoTextProperty() {
        return undoText.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<String> redoTextProperty() {
        return redoText.getReadOnlyProperty();
    }

    /** The last user-facing message (e.g. why a connection was refused). */
    public StringProperty messageProperty() {
        return message;
    }

    public BooleanProperty messageIsErrorProperty() {
        return messageIsError;
    }

    public void addListener(ChangeListener l) {
        listeners.add(l);
    }

    public void removeListener(ChangeListener l) {
        listeners.remove(l);
    }

    // ------------------------------------------------------------------ edits

    /**
     * Runs a command as one undo step.
     *
     * @return null on success, else the reason it was refused (the graph is unchanged)
     */
    public String execute(EditCommand command) {
        try {
            history.execute(command);
            info(command.description());
            return null;
        } catch (GraphException | IllegalArgumentException e) {
            error(e.getMessage());
            return e.getMessage();
        }
    }

    public boolean undo() {
        if (!history.canUndo()) {
            return false;
        }
        String d = history.undoDescription();
        history.undo();
        info("Undid: " + d);
        return true;
    }

    public boolean redo() {
        if (!history.canRedo()) {
            return false;
        }
        String d = history.redoDescription();
        history.redo();
        info("Redid: " + d);
        return true;
    }

    /** Adds a new layer of a palette kind at a canvas position; returns its id (selected), or null if refused. */
    public String addLayer(String paletteName, Position at) {
        LayerParams p = LayerCatalog.entry(paletteName).create();
        AddLayerCommand c = AddLayerCommand.create(graph, LayerCatalog.baseName(p), p, at);
        if (execute(c) != null) {
            return null;
        }
        select(c.layer().id());
        return c.layer().id();
    }

    /**
     * Connects {@code from}'s output to the next input port of {@code to}, unless the graph would
     * become invalid: a cycle, too many inputs, or a shape {@code to} cannot take.
     *
     * @return null when connected, else the reason for refusing (also put in {@link #messageProperty()})
     */
    public String connect(String from, String to) {
        String reason = whyNotConnect(from, to);
        if (reason != null) {
            error("Cannot connect: " + reason);
            return reason;
        }
        return execute(new ConnectCommand(from, to));
    }

    /** Why {@code from → to} would be refused, or null if it is a valid connection. Does not change the graph. */
    public String whyNotConnect(String from, String to) {
        if (!graph.contains(from) || !graph.contains(to)) {
            return "both ends must be layers of this network";
        }
        Layer target = graph.layer(to);
        if (target.params().maxInputs() == 0) {
            return target.name() + " is a model input (" + target.params().kerasName() + ") and takes no input";
        }
        if (graph.inputsOf(to).contains(from)) {
            Layer t = graph.layer(to);
            if (t.params().maxInputs() <= 1) {
                return graph.layer(from).name() + " already feeds " + t.name();
            }
        }
        Graph trial = graph.copy();
        try {
            trial.connect(from, to);
        } catch (GraphException e) {
            return e.getMessage();
        }
        // the target's shape must be computable once it has enough inputs
        if (trial.inputsOf(to).size() >= trial.layer(to).params().minInputs()) {
            ShapeResult s = ShapeInference.infer(trial);
            String err = s.error(to);
            if (err != null && !err.startsWith("input shape unknown")) {
                return err;
            }
        }
        return null;
    }

    /** Removes the selected layers (one undo step). */
    public void deleteSelection() {
        if (selection.isEmpty()) {
            return;
        }
        List<EditCommand> steps = new ArrayList<>();
        for (String id : graph.ids()) {
            if (selection.contains(id)) {
                steps.add(new RemoveLayerCommand(id));
            }
        }
        String what = selection.size() == 1 ? graph.layer(selection.iterator().next()).name() : selection.size() + " layers";
        selection.clear();
        execute(new CompoundCommand("Delete " + what, steps));
    }

    /** Moves layers to new canvas positions as one undo step (the end of a drag). */
    public void move(java.util.Map<String, Position> to) {
        if (to.isEmpty()) {
            return;
        }
        List<EditCommand> steps = new ArrayList<>();
        to.forEach((id, p) -> steps.add(new MoveCommand(id, p)));
        execute(new CompoundCommand(to.size() == 1 ? "Move " + graph.layer(to.keySet().iterator().next()).name() : "Move " + to.size() + " layers", steps));
    }

    /** Sets a layer's parameters (undoable). */
    public String setParams(String id, LayerParams params) {
        if (graph.layer(id).params().equals(params)) {
            return null;
        }
        return execute(SetParamsCommand.params(id, params));
    }

    public String rename(String id, String name) {
        if (name == null || name.isBlank()) {
            error("A layer name cannot be empty");
            return "empty name";
        }
        if (graph.layer(id).name().equals(name)) {
            return null;
        }
        Layer other = graph.layerNamed(name);
        if (other != null && !other.id().equals(id)) {
            error("Another layer is already named " + name);
            return "name taken";
        }
        return execute(SetParamsCommand.rename(id, name));
    }

    /** Applies one of the checker's fixes as an undoable step; tells the fix's warning if it has one. */
    public String applyFix(Fix fix) {
        String refused = execute(new LayoutAfterCommand(fix.command()));
        if (refused == null) {
            info("Fixed " + (graph.contains(fix.layerId()) ? graph.layer(fix.layerId()).name() + ": " : "") + fix.title()
                    + (fix.warning() != null ? " (⚠ " + fix.warning() + ")" : ""));
        }
        return refused;
    }

    /**
     * Applies every fix the checker offers for the current target, re-checking after each one
     * (a fix changes the graph, so later fixes are computed on the repaired network), as one undo step.
     *
     * @return how many fixes were applied
     */
    public int fixAll() {
        if (analysis.allFixes().isEmpty()) {
            info("Nothing to fix for " + target.get().label());
            return 0;
        }
        FixAllCommand c = new FixAllCommand(target.get(), budget.get());
        String refused = execute(new LayoutAfterCommand(c));
        if (refused != null) {
            return 0;
        }
        info("Applied " + c.applied() + " fix(es) for " + target.get().label() + " — " + analysis.unsupportedCount()
                + " layer(s) still block conversion");
        return c.applied();
    }

    // ------------------------------------------------------------------ internals

    public void info(String text) {
        messageIsError.set(false);
        message.set(text);
    }

    public void error(String text) {
        messageIsError.set(true);
        message.set(text);
    }

    private void historyChanged(EditHistory h) {
        selection.removeIf(id -> !graph.contains(id));
        reanalyse();
    }

    /** Recomputes shapes and rule verdicts for the current target, then tells the views. */
    public void reanalyse() {
        analysis = Analysis.of(graph, target.get(), budget.get());
        refreshFlags();
        revision.set(revision.get() + 1);
        for (ChangeListener l : listeners) {
            l.changed(this);
        }
    }

    private void refreshFlags() {
        dirty.set(forcedDirty || history.isDirty());
        undoText.set(history.canUndo() ? history.undoDescription() : null);
        redoText.set(history.canRedo() ? history.redoDescription() : null);
    }

    /** Ids selected, in a stable order. */
    public Set<String> selectedIds() {
        return new LinkedHashSet<>(selection);
    }
}
