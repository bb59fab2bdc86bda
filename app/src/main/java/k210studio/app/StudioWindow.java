package k210studio.app;

import java.nio.file.Path;
import java.util.function.Function;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.Duration;
import k210studio.app.canvas.GraphCanvas;
import k210studio.app.files.Dialogs;
import k210studio.app.files.DocumentController;
import k210studio.app.inspector.InspectorPane;
import k210studio.app.layout.LayeredLayout;
import k210studio.app.model.EditorModel;
import k210studio.app.model.Samples;
import k210studio.app.palette.PalettePane;
import k210studio.app.problems.ProblemsPane;
import k210studio.ir.edit.CompoundCommand;
import k210studio.ir.edit.EditCommand;
import k210studio.ir.edit.MoveCommand;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Position;
import k210studio.ir.rules.Target;

/**
 * The studio's main window: menu bar and toolbar, layer palette, canvas, inspector, problems
 * panel and status bar around one {@link EditorModel}.
 */
public final class StudioWindow {
    private static final double AUTOSAVE_SECONDS = 15;

    private final Stage stage;
    private final EditorModel model;
    private final DocumentController docs;
    private final GraphCanvas canvas;
    private final InspectorPane inspector;
    private final ProblemsPane problems;
    private final PalettePane palette;
    private final Menu recentMenu = new Menu("Open Recent");
    {
        recentMenu.setId("menu-recent");
    }
    private final Timeline autosave;
    private final Path home;

    /**
     * @param home    folder for recent files and the autosave
     * @param dialogs makes the dialogs for this window's stage
     */
    public StudioWindow(Stage stage, Path home, Function<Stage, Dialogs> dialogs) {
        this.stage = stage;
        this.home = home;
        this.model = new EditorModel(new Graph("untitled"));
        this.docs = new DocumentController(model, dialogs.apply(stage), home);
        this.canvas = new GraphCanvas(model);
        this.inspector = new InspectorPane(model);
        this.problems = new ProblemsPane(model);

        Pane overlay = new Pane();
        overlay.setMouseTransparent(true);
        overlay.setPickOnBounds(false);
        this.palette = new PalettePane(new PalettePane.DropTarget() {
            @Override
            public boolean accepts(double x, double y) {
                return canvas.containsScenePoint(x, y);
            }

            @Override
            public void drop(String name, double x, double y) {
                canvas.dropLayer(name, x, y);
            }

            @Override
            public void add(String name) {
                var b = canvas.localToScene(canvas.getLayoutBounds());
                canvas.dropLayer(name, b.getCenterX(), b.getCenterY());
            }
        }, overlay);
        problems.setOnReveal(() -> {
            String id = model.selectedId();
            if (id != null) {
                canvas.reveal(id);
            }
        });
        docs.setAfterLoad(() -> {
            canvas.refresh();
            javafx.application.Platform.runLater(canvas::showStart);
            refreshRecent();
            // another document: an open Simulate window must not keep the old network's answers
            if (simulateWindow != null && simulateWindow.stage().isShowing()) {
                simulateWindow.panel().useProject();
            }
        });

        SplitPane centre = new SplitPane(canvas, problems);
        centre.setOrientation(Orientation.VERTICAL);
        centre.setDividerPositions(0.72);
        SplitPane main = new SplitPane(palette, centre, inspector);
        main.setDividerPositions(0.15, 0.79);
        palette.setMinWidth(190);
        inspector.setMinWidth(260);
        SplitPane.setResizableWithParent(palette, false);
        SplitPane.setResizableWithParent(inspector, false);

        BorderPane root = new BorderPane();
        root.setTop(new VBox(menuBar(), toolBar()));
        root.setCenter(main);
        root.setBottom(new StatusBar(model, docs));
        StackPane stack = new StackPane(root, overlay);
        Scene scene = new Scene(stack, 1500, 920);
        Theme.load(home);
        Theme.track(scene);
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            e.setDropCompleted(ok);
            e.consume();
            if (ok) {
                var files = e.getDragboard().getFiles();
                javafx.application.Platform.runLater(() -> docs.dropped(files));
            }
        });
        stage.setScene(scene);
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        updateTitle();
        model.dirtyProperty().addListener((o, a, b) -> updateTitle());
        model.fileProperty().addListener((o, a, b) -> updateTitle());
        // New, a template or an import replace the document without touching the file or the dirty flag
        model.revisionProperty().addListener((o, a, b) -> updateTitle());
        docs.recent().setOnChange(this::refreshRecent);
        stage.setOnCloseRequest(e -> {
            if (!docs.confirmDiscard("closing")) {
                e.consume();
            } else {
                docs.shutdown();
            }
        });
        autosave = new Timeline(new KeyFrame(Duration.seconds(AUTOSAVE_SECONDS), e -> docs.autosave()));
        autosave.setCycleCount(Timeline.INDEFINITE);
        autosave.play();
        refreshRecent();
    }

    public Stage stage() {
        return stage;
    }

    public EditorModel model() {
        return model;
    }

    public DocumentController documents() {
        return docs;
    }

    /** File → Open Recent (its items open the files, newest first). */
    public Menu recentMenu() {
        return recentMenu;
    }

    public GraphCanvas canvas() {
        return canvas;
    }

    public ProblemsPane problems() {
        return problems;
    }

    /**
     * Offers recovery of a crashed session; otherwise shows the bundled sample and, if a file was
     * given, opens it (if that fails, the dialog says why and the sample stays).
     */
    public void start(Path file) {
        boolean restored = docs.offerRecovery();
        if (!restored) {
            model.replace(docs.sampleWithLayout(Samples.defaultName()), null);
            docs.afterLoadNow();
            // show what the inspector does: the first convolution is selected
            model.graph().layers().stream().filter(l -> l.params() instanceof k210studio.ir.layer.Conv2D).findFirst()
                    .ifPresent(l -> model.select(l.id()));
            model.info("Opened the bundled sample \"" + docs.documentName() + "\". Drag layers from the palette; hover a layer for its K210 verdict.");
            if (file != null) {
                docs.open(file);
            }
        }
    }

    /** Lays out the whole network top to bottom (one undo step). */
    public void autoLayout() {
        Graph snapshot = model.graph().copy(); // the FX thread keeps editing the original
        docs.runInBackground("Laying out " + snapshot.size() + " layers…", () -> pendingLayout = LayeredLayout.layout(snapshot), () -> {
            java.util.List<EditCommand> moves = new java.util.ArrayList<>();
            pendingLayout.forEach((id, p) -> {
                if (model.graph().contains(id) && !p.equals(model.graph().position(id))) {
                    moves.add(new MoveCommand(id, p));
                }
            });
            if (!moves.isEmpty()) {
                model.execute(new CompoundCommand("Auto-layout", moves));
                model.info("Laid out " + moves.size() + " layers");
            }
            canvas.showStart();
        });
    }

    private volatile java.util.Map<String, Position> pendingLayout;

    private k210studio.app.simulate.SimulateWindow simulateWindow;

    /** The Simulate window, or null before it was first opened. */
    public k210studio.app.simulate.SimulateWindow simulateWindow() {
        return simulateWindow;
    }

    /** Opens the Simulate window (float vs K210 on images, or a .kmodel) for the current project. */
    public void openSimulate() {
        if (simulateWindow == null) {
            simulateWindow = new k210studio.app.simulate.SimulateWindow(stage, model::project);
            simulateWindow.panel().setDocumentName(docs::documentName);
            simulateWindow.panel().setPreprocessingEditor(answer -> {
                model.setSettings(k210studio.app.preprocess.ModelInput.withAnswer(model.settings(), answer));
                model.markUnsaved();
                model.info("Input preprocessing: " + k210studio.app.simulate.ModelInputText.of(model.project()));
            });
        }
        simulateWindow.show();
    }

    private k210studio.app.train.TrainWindow trainWindow;

    /** The Train window, or null before it was first opened. */
    public k210studio.app.train.TrainWindow trainWindow() {
        return trainWindow;
    }

    /** Opens the Train window (transfer learning or the design, on a class-folder dataset) for the editor's project. */
    public void openTrain() {
        if (trainWindow == null) {
            trainWindow = new k210studio.app.train.TrainWindow(stage, model);
        }
        trainWindow.show();
    }

    private k210studio.app.evaluate.EvaluateWindow evaluateWindow;

    /** The Evaluate window, or null before it was first opened. */
    public k210studio.app.evaluate.EvaluateWindow evaluateWindow() {
        return evaluateWindow;
    }

    /** Opens the Evaluate window (float vs K210 accuracy on a dataset folder) for the editor's project. */
    public void openEvaluate() {
        if (evaluateWindow == null) {
            evaluateWindow = new k210studio.app.evaluate.EvaluateWindow(stage, model::project,
                    home == null ? null : home.resolve("evaluate-dataset.txt"), this::simulateImage);
        }
        evaluateWindow.show();
    }

    /** The Simulate window on one image of an evaluation: the project (on the evaluated target) or the evaluated kmodel. */
    private void simulateImage(k210studio.app.evaluate.EvaluateViewModel.SimulateRequest r) {
        openSimulate();
        k210studio.app.simulate.SimulatePanel panel = simulateWindow.panel();
        if (r.kmodel() != null) {
            panel.openKmodel(r.kmodel());
        } else {
            panel.useProject();
            if (!panel.viewModel().targetLockedProperty().get()) {
                panel.viewModel().targetProperty().set(r.source() == k210studio.app.evaluate.EvaluateViewModel.Source.V4 ? Target.V4 : Target.V3);
            }
        }
        panel.selectImage(r.image().toString());
        panel.run();
    }

    /** Opens the export wizard (V3/V4 kmodel, memory charts, labels.txt, MaixPy boot.py) for the current project. */
    public void openExport() {
        new k210studio.app.export.ExportWizard(model.project(), stage, docs.documentName()).show();
    }

    private void updateTitle() {
        stage.setTitle((model.isDirty() ? "• " : "") + docs.documentName() + " — K210 Studio");
    }

    private MenuBar menuBar() {
        Menu file = new Menu("File");
        Menu templates = new Menu("New from Template");
        for (String s : Samples.names()) {
            MenuItem t = new MenuItem(Samples.title(s));
            t.setId("template-" + s);
            t.setOnAction(e -> docs.newFromTemplate(s));
            templates.getItems().add(t);
        }
        file.getItems().addAll(
                item("New", "Shortcut+N", docs::newDocument),
                templates,
                item("Open…", "Shortcut+O", docs::open),
                recentMenu,
                item("Import TFLite / Keras…", "Shortcut+I", docs::importModel),
                new SeparatorMenuItem(),
                item("Save", "Shortcut+S", docs::save),
                item("Save As…", "Shortcut+Shift+S", docs::saveAs),
                new SeparatorMenuItem(),
                item("Quit", "Shortcut+Q", () -> {
                    if (docs.confirmDiscard("quitting")) {
                        docs.shutdown();
                        stage.close();
                    }
                }));
        Menu edit = new Menu("Edit");
        MenuItem undo = item("Undo", "Shortcut+Z", model::undo);
        MenuItem redo = item("Redo", "Shortcut+Shift+Z", model::redo);
        undo.disableProperty().bind(model.undoTextProperty().isNull());
        redo.disableProperty().bind(model.redoTextProperty().isNull());
        model.undoTextProperty().addListener((o, a, b) -> undo.setText(b == null ? "Undo" : "Undo " + b));
        model.redoTextProperty().addListener((o, a, b) -> redo.setText(b == null ? "Redo" : "Redo " + b));
        edit.getItems().addAll(undo, redo, item("Redo (Ctrl+Y)", "Shortcut+Y", model::redo), new SeparatorMenuItem(),
                item("Delete", null, model::deleteSelection),
                item("Select All", "Shortcut+A", () -> model.select(model.graph().ids())));
        Menu view = new Menu("View");
        view.getItems().addAll(
                item("Auto-layout", "Shortcut+L", this::autoLayout),
                item("Fit to Window", "Shortcut+0", canvas::fitToView),
                toggle("Minimap", "menu-minimap", canvas.minimapShownProperty()),
                toggle("Dark Theme", "menu-dark-theme", Theme.darkProperty()),
                item("Zoom In", "Shortcut+EQUALS", () -> canvas.zoomBy(1.25)),
                item("Zoom Out", "Shortcut+MINUS", () -> canvas.zoomBy(0.8)));
        Menu check = new Menu("Check");
        check.getItems().addAll(
                item("Target V3 (nncase 0.1)", "Shortcut+3", () -> model.setTarget(Target.V3)),
                item("Target V4 (nncase 0.2)", "Shortcut+4", () -> model.setTarget(Target.V4)),
                new SeparatorMenuItem(),
                item("Fix All for Current Target", "Shortcut+Shift+F", model::fixAll));
        Menu run = new Menu("Run");
        run.getItems().addAll(
                item("Simulate on Images…", "Shortcut+R", this::openSimulate),
                item("Export kmodel…", "Shortcut+E", this::openExport),
                item("Train…", "Shortcut+T", this::openTrain),
                item("Evaluate on Dataset…", "Shortcut+Shift+R", this::openEvaluate));
        MenuBar bar = new MenuBar(file, edit, view, check, run);
        bar.setId("menu-bar");
        return bar;
    }

    private void refreshRecent() {
        recentMenu.getItems().clear();
        for (Path p : docs.recent().list()) {
            MenuItem mi = new MenuItem(p.getFileName() + "  —  " + (p.getParent() == null ? "" : p.getParent()));
            mi.setId("recent-" + recentMenu.getItems().size());
            mi.setOnAction(e -> docs.open(p));
            recentMenu.getItems().add(mi);
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    /** A View menu toggle bound both ways to a setting. */
    private static CheckMenuItem toggle(String text, String id, javafx.beans.property.BooleanProperty setting) {
        CheckMenuItem mi = new CheckMenuItem(text);
        mi.setId(id);
        mi.selectedProperty().bindBidirectional(setting);
        return mi;
    }

    private static MenuItem item(String text, String accel, Runnable action) {
        MenuItem mi = new MenuItem(text);
        if (accel != null) {
            mi.setAccelerator(KeyCombination.keyCombination(accel));
        }
        mi.setOnAction(e -> action.run());
        return mi;
    }

    private ToolBar toolBar() {
        Button undo = button("Undo", "tb-undo", "Undo the last change (Ctrl+Z)", model::undo);
        Button redo = button("Redo", "tb-redo", "Redo (Ctrl+Shift+Z)", model::redo);
        undo.disableProperty().bind(model.undoTextProperty().isNull());
        redo.disableProperty().bind(model.redoTextProperty().isNull());
        model.undoTextProperty().addListener((o, a, b) -> undo.setTooltip(new Tooltip(b == null ? "Nothing to undo" : "Undo " + b)));
        model.redoTextProperty().addListener((o, a, b) -> redo.setTooltip(new Tooltip(b == null ? "Nothing to redo" : "Redo " + b)));
        ToggleGroup tg = new ToggleGroup();
        ToggleButton v3 = new ToggleButton("V3");
        ToggleButton v4 = new ToggleButton("V4");
        v3.setId("target-v3");
        v4.setId("target-v4");
        v3.setTooltip(new Tooltip("Check for kmodel V3 (nncase 0.1.0-rc5): every MaixPy firmware, fewer ops, faster"));
        v4.setTooltip(new Tooltip("Check for kmodel V4 (nncase 0.2.0): more ops in software, needs a V4-capable firmware"));
        v3.setToggleGroup(tg);
        v4.setToggleGroup(tg);
        v3.getStyleClass().add("left-pill");
        v4.getStyleClass().add("right-pill");
        Runnable syncTarget = () -> tg.selectToggle(model.target() == Target.V3 ? v3 : v4);
        syncTarget.run();
        model.targetProperty().addListener((o, a, b) -> syncTarget.run());
        tg.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                syncTarget.run();
            } else {
                model.setTarget(b == v3 ? Target.V3 : Target.V4);
            }
        });
        Label targetLabel = new Label("Target");
        HBox targets = new HBox(0, v3, v4);
        targets.setAlignment(Pos.CENTER);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        ToolBar tb = new ToolBar(
                button("New", "tb-new", "New network (Ctrl+N)", docs::newDocument),
                button("Open", "tb-open", "Open a project or model (Ctrl+O)", docs::open),
                button("Save", "tb-save", "Save (Ctrl+S)", docs::save),
                button("Save As", "tb-save-as", "Save under a new name", docs::saveAs),
                button("Import TFLite…", "tb-import", "Import a float .tflite (or Keras .h5) model", docs::importModel),
                new javafx.scene.control.Separator(Orientation.VERTICAL),
                undo, redo,
                new javafx.scene.control.Separator(Orientation.VERTICAL),
                button("Auto-layout", "tb-layout", "Arrange the network top to bottom (Ctrl+L)", this::autoLayout),
                button("Fit", "tb-fit", "Show the whole network (Ctrl+0)", canvas::fitToView),
                new javafx.scene.control.Separator(Orientation.VERTICAL),
                button("Simulate", "tb-simulate", "Run the network on images: float vs K210, per layer (Ctrl+R)", this::openSimulate),
                button("Export…", "tb-export", "Export a V3/V4 kmodel with memory charts and a MaixPy script (Ctrl+E)", this::openExport),
                grow, targetLabel, targets);
        tb.setPadding(new Insets(4, 8, 4, 8));
        tb.setId("tool-bar");
        return tb;
    }

    private static Button button(String text, String id, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.setFocusTraversable(false);
        return b;
    }
}
