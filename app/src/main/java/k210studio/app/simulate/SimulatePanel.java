package k210studio.app.simulate;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import k210studio.assets.Assets;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.eval.EvaluationException;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.rules.Target;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.Scored;
import org.jfree.chart.fx.ChartViewer;

/**
 * The Simulate panel: pick an image (bundled samples, a file, drag-and-drop, or a folder to step through), see the
 * board input, run the float network and the K210 (compiled in memory, run on kpu-sim) side by side, read top-k or
 * boxes, the per-layer table with the time chart, and a layer's feature maps (float, K210, difference). With a
 * {@code .kmodel} opened on its own there is no float side. Work runs off the FX thread; a new run cancels the old.
 */
public final class SimulatePanel extends BorderPane {
    private static final List<String> IMAGE_EXT = List.of("*.jpg", "*.jpeg", "*.png", "*.bmp");

    private final Supplier<Project> projectSource;
    private BiConsumer<String, String> errorHandler = SimulatePanel::showError;

    private final ComboBox<String> imageChoice = new ComboBox<>();
    private final Label imageName = new Label();
    private final Button prev = new Button("◀");
    private final Button next = new Button("▶");
    private final ComboBox<Target> target = new ComboBox<>();
    private final ComboBox<PostProcessing.Kind> kind = new ComboBox<>();
    private final TextField anchors = new TextField();
    private final TextField threshold = new TextField("0.5");
    private final TextField nms = new TextField("0.3");
    private static final String PROJECT_LABELS = "project labels";
    private static final String NO_LABELS = "no labels";
    private final ComboBox<String> labelsChoice = new ComboBox<>();
    private final Button runButton = new Button("Run");
    private final ProgressIndicator progress = new ProgressIndicator();
    private final Label status = new Label("Pick an image and press Run.");
    private final Label modeLabel = new Label();

    private final Canvas picture = new Canvas(400, 300);
    private final ImageView inputView = new ImageView();
    private final VBox floatBox = new VBox(2);
    private final VBox k210Box = new VBox(2);
    private final TableView<LayerRow> table = new TableView<>();
    private final ChartViewer chartViewer = new ChartViewer(null);
    private final ImageView mapFloat = new ImageView();
    private final ImageView mapK210 = new ImageView();
    private final ImageView mapDiff = new ImageView();
    private final Label mapTitle = new Label("Click a layer in the table to see its feature maps.");

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<SimulationResult> result = new ReadOnlyObjectWrapper<>();

    private String currentImage;
    private RgbImage currentRgb;
    private List<Path> folder = List.of();
    private int folderIndex = -1;
    private Kmodel kmodel;
    private String kmodelName;
    private K210Compiler.Result compiled;
    private Graph compiledGraph;
    private ProjectSettings compiledSettings;
    private Target compiledTarget;
    private Task<SimulationResult> task;

    /**
     * @param projectSource the project to simulate (the editor's current one); may return null when there is none
     */
    public SimulatePanel(Supplier<Project> projectSource) {
        this.projectSource = projectSource;
        setId("simulate-panel");
        imageChoice.getItems().addAll(Assets.images());
        imageChoice.setId("sim-image");
        imageChoice.setPromptText("Sample image");
        imageChoice.setOnAction(e -> {
            String s = imageChoice.getValue();
            if (s != null) {
                selectImage(s);
            }
        });
        Button openImage = button("Image…", "sim-open-image", "Open an image file (or drop one on the picture)", this::chooseImage);
        Button openFolder = button("Folder…", "sim-open-folder", "Step through the images of a folder", this::chooseFolder);
        prev.setId("sim-prev");
        next.setId("sim-next");
        prev.setOnAction(e -> step(-1));
        next.setOnAction(e -> step(1));
        prev.setDisable(true);
        next.setDisable(true);
        Button openKmodel = button("Open .kmodel…", "sim-open-kmodel", "Run an existing kmodel V3 or V4 on images", this::chooseKmodel);
        Button useProject = button("Use project", "sim-use-project", "Simulate the network in the editor (float vs K210)", this::useProject);
        target.getItems().addAll(Target.V3, Target.V4);
        target.setValue(Target.V3);
        target.setId("sim-target");
        target.setTooltip(new Tooltip("The kmodel version the project is compiled to for the K210 side"));
        kind.getItems().addAll(PostProcessing.Kind.values());
        kind.setValue(PostProcessing.Kind.CLASSIFIER);
        kind.setId("sim-kind");
        anchors.setId("sim-anchors");
        anchors.setText(new PostProcessing(PostProcessing.Kind.YOLO2, 5, null, 0.5f, 0.3f, null).anchorsText());
        anchors.setPrefColumnCount(22);
        anchors.setTooltip(new Tooltip("YOLOv2 anchors: width,height pairs in grid units"));
        threshold.setPrefColumnCount(4);
        threshold.setId("sim-threshold");
        nms.setPrefColumnCount(4);
        nms.setId("sim-nms");
        labelsChoice.getItems().addAll(PROJECT_LABELS, NO_LABELS);
        labelsChoice.getItems().addAll(Assets.labelFiles());
        labelsChoice.setValue(PROJECT_LABELS);
        labelsChoice.setId("sim-labels");
        labelsChoice.setTooltip(new Tooltip("Class names: the project's, none, or a bundled label file (line i = class i)"));
        anchors.disableProperty().bind(kind.valueProperty().isNotEqualTo(PostProcessing.Kind.YOLO2));
        runButton.setId("sim-run");
        runButton.setStyle("-fx-font-weight: bold");
        runButton.setOnAction(e -> run());
        progress.setPrefSize(18, 18);
        progress.visibleProperty().bind(running);
        ToolBar sourceBar = new ToolBar(modeLabel, new Separator(Orientation.VERTICAL), imageChoice, openImage, openFolder, prev, next,
                imageName, new Separator(Orientation.VERTICAL), useProject, openKmodel, new Label("Target"), target);
        ToolBar decodeBar = new ToolBar(new Label("Outputs"), kind, labelsChoice, new Label("Anchors"), anchors, new Label("Threshold"), threshold,
                new Label("NMS"), nms, runButton, progress);
        status.setId("sim-status");
        modeLabel.setId("sim-mode");
        modeLabel.setStyle("-fx-font-weight: bold");
        setTop(new VBox(sourceBar, decodeBar));
        HBox statusBar = new HBox(status);
        statusBar.setPadding(new Insets(3, 8, 3, 8));
        statusBar.setStyle("-fx-border-color: #d0d7de transparent transparent transparent");
        setBottom(statusBar);

        javafx.scene.layout.Pane pictureBox = new javafx.scene.layout.Pane(picture);
        pictureBox.setMinSize(0, 0);
        pictureBox.setPrefSize(640, 400);
        pictureBox.setStyle("-fx-background-color: #20242a");
        picture.widthProperty().bind(pictureBox.widthProperty());
        picture.heightProperty().bind(pictureBox.heightProperty());
        picture.widthProperty().addListener(o -> redraw());
        picture.heightProperty().addListener(o -> redraw());
        pictureBox.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        pictureBox.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
            e.setDropCompleted(ok);
            e.consume();
            if (ok) {
                File f = e.getDragboard().getFiles().get(0);
                Platform.runLater(() -> dropped(f.toPath()));
            }
        });
        inputView.setPreserveRatio(true);
        inputView.setFitWidth(200);
        inputView.setId("sim-input-view");
        Label inputTitle = new Label("Board input (after resize)");
        floatBox.setId("sim-float-results");
        k210Box.setId("sim-k210-results");
        VBox answers = new VBox(6, inputTitle, inputView, titled("Float (reference)", floatBox), titled("K210 (kpu-sim)", k210Box));
        answers.setPadding(new Insets(6));
        answers.setMinWidth(230);
        ScrollPane answersScroll = new ScrollPane(answers);
        answersScroll.setFitToWidth(true);
        SplitPane top = new SplitPane(pictureBox, answersScroll);
        top.setDividerPositions(0.62);

        buildTable();
        chartViewer.setId("sim-chart");
        mapFloat.setPreserveRatio(true);
        mapK210.setPreserveRatio(true);
        mapDiff.setPreserveRatio(true);
        mapFloat.setSmooth(false);
        mapK210.setSmooth(false);
        mapDiff.setSmooth(false);
        HBox maps = new HBox(8, mapColumn("Float", mapFloat), mapColumn("K210", mapK210), mapColumn("K210 − float", mapDiff));
        maps.setId("sim-maps");
        VBox mapsBox = new VBox(6, mapTitle, maps);
        mapsBox.setPadding(new Insets(6));
        ScrollPane mapsScroll = new ScrollPane(mapsBox);
        TabPane tabs = new TabPane(new Tab("Time per layer", chartViewer), new Tab("Feature maps", mapsScroll));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("sim-tabs");
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            showMaps(b);
            if (b != null) {
                tabs.getSelectionModel().select(1);
            }
        });
        SplitPane bottom = new SplitPane(table, tabs);
        bottom.setDividerPositions(0.5);
        SplitPane centre = new SplitPane(top, bottom);
        centre.setOrientation(Orientation.VERTICAL);
        centre.setDividerPositions(0.5);
        setCenter(centre);
        useProjectQuietly();
        List<String> imgs = Assets.images();
        String first = imgs.contains("images/face.jpg") ? "images/face.jpg" : imgs.isEmpty() ? null : imgs.get(0);
        Project p = projectSource.get();
        if (p != null && !p.settings().sampleImages().isEmpty() && Assets.exists(p.settings().sampleImages().get(0))) {
            first = p.settings().sampleImages().get(0);
        }
        if (first != null) {
            selectImage(first);
        }
    }

    /** Where errors go (a dialog by default). */
    public void setErrorHandler(BiConsumer<String, String> handler) {
        this.errorHandler = handler;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<SimulationResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public TableView<LayerRow> layerTable() {
        return table;
    }

    public ChartViewer chartViewer() {
        return chartViewer;
    }

    /** The K210 side's current boxes (what the picture shows). */
    public List<Detection> shownBoxes() {
        SimulationResult r = result.get();
        return r == null ? List.of() : r.k210Answer().boxes();
    }

    /** Simulate the editor's project (float vs K210). */
    public void useProject() {
        useProjectQuietly();
        invalidateCompile();
    }

    private void useProjectQuietly() {
        kmodel = null;
        kmodelName = null;
        Project p = projectSource.get();
        target.setDisable(false);
        if (p != null) {
            target.setValue(p.settings().target().equals(ProjectSettings.V4) ? Target.V4 : Target.V3);
            boolean vector = true;
            try {
                var out = k210studio.ir.shape.ShapeInference.infer(p.graph()).shapes().get(p.graph().outputIds().get(0));
                vector = out == null || out.rank() == 1;
            } catch (RuntimeException e) {
                // leave the classifier guess
            }
            kind.setValue(vector ? PostProcessing.Kind.CLASSIFIER : PostProcessing.Kind.NONE);
            modeLabel.setText("Project: " + p.settings().name());
            labelsChoice.setValue(PROJECT_LABELS);
        } else {
            modeLabel.setText("No project");
        }
    }

    /** Open a kmodel V3/V4 and run it on the images (no float side). */
    public void openKmodel(Path file) {
        try {
            Kmodel m = KmodelFiles.read(file);
            kmodel = m;
            kmodelName = file.getFileName().toString();
            target.setDisable(true);
            labelsChoice.setValue(NO_LABELS);
            PostProcessing pp = PostProcessing.guess(m, List.of());
            kind.setValue(pp.kind());
            if (pp.kind() == PostProcessing.Kind.ULTRA_FACE) {
                threshold.setText("0.7");
            }
            modeLabel.setText("kmodel V" + m.version() + ": " + kmodelName + " (" + m.layerCount() + " layers)");
            status.setText("Opened " + kmodelName + ". Pick an image and press Run.");
            result.set(null);
            table.getItems().clear();
            table.getItems().setAll(layersOnly(m));
        } catch (KmodelFormatException | IOException e) {
            errorHandler.accept("Cannot open " + file.getFileName(), e.getMessage());
        }
    }

    private static List<LayerRow> layersOnly(Kmodel m) {
        List<LayerRow> rows = new ArrayList<>();
        for (int i = 0; i < m.layerCount(); i++) {
            String t = m.layerTypeName(i);
            rows.add(new LayerRow(i, t, "", null, "", Double.NaN, Double.NaN, 0, null, null));
        }
        return rows;
    }

    /** Shows a bundled image ("images/face.jpg") or an image file path. */
    public void selectImage(String assetOrPath) {
        try {
            currentRgb = Simulator.readImage(assetOrPath);
            currentImage = assetOrPath;
            imageName.setText(Path.of(assetOrPath).getFileName().toString() + "  " + currentRgb.width() + "×" + currentRgb.height());
            if (Assets.exists(assetOrPath)) {
                imageChoice.setValue(assetOrPath);
            }
            redraw();
        } catch (ImageDecodeException | IOException | RuntimeException e) {
            errorHandler.accept("Cannot read the image", assetOrPath + ": " + e.getMessage());
        }
    }

    /** Step through the images of a folder (sorted by name). */
    public void openFolder(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            folder = s.filter(Files::isRegularFile).filter(SimulatePanel::isImage).sorted().toList();
        } catch (IOException e) {
            errorHandler.accept("Cannot list the folder", dir + ": " + e.getMessage());
            return;
        }
        if (folder.isEmpty()) {
            errorHandler.accept("No images", dir + " holds no .jpg, .png or .bmp images.");
            return;
        }
        folderIndex = 0;
        prev.setDisable(false);
        next.setDisable(false);
        selectImage(folder.get(0).toString());
    }

    private void step(int d) {
        if (folder.isEmpty()) {
            return;
        }
        folderIndex = Math.floorMod(folderIndex + d, folder.size());
        selectImage(folder.get(folderIndex).toString());
        if (result.get() != null) {
            run();
        }
    }

    private void dropped(Path p) {
        if (Files.isDirectory(p)) {
            openFolder(p);
        } else if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".kmodel")) {
            openKmodel(p);
        } else {
            selectImage(p.toString());
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp");
    }

    private void chooseImage() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open an image");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Images", IMAGE_EXT));
        File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            selectImage(f.toString());
        }
    }

    private void chooseFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Folder of images");
        File f = dc.showDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            openFolder(f.toPath());
        }
    }

    private void chooseKmodel() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open a kmodel");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("kmodel V3/V4", "*.kmodel"));
        File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            openKmodel(f.toPath());
        }
    }

    private void invalidateCompile() {
        compiled = null;
        compiledGraph = null;
    }

    private List<String> labels(Project project) throws IOException {
        String l = labelsChoice.getValue();
        if (l == null || l.equals(NO_LABELS)) {
            return List.of();
        }
        if (l.equals(PROJECT_LABELS)) {
            return project != null ? project.settings().labels() : List.of();
        }
        List<String> out = new ArrayList<>();
        for (String line : Assets.lines(l)) {
            out.add(line.strip().replaceFirst("^\\d+\\s*:\\s*", ""));
        }
        return out;
    }

    /** The post-processing the controls describe; bad numbers raise IllegalArgumentException naming the field. */
    public PostProcessing postProcessing(List<String> labels) {
        float t = number(threshold.getText(), "threshold");
        float n = number(nms.getText(), "NMS");
        float[] a = kind.getValue() == PostProcessing.Kind.YOLO2 ? PostProcessing.parseAnchors(anchors.getText()) : null;
        return new PostProcessing(kind.getValue(), 5, a, t, n, labels);
    }

    private static float number(String s, String what) {
        try {
            float v = Float.parseFloat(s.trim());
            if (v < 0 || v > 1) {
                throw new IllegalArgumentException(what + " must be between 0 and 1, got " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + s + "' is not a number");
        }
    }

    /** Runs the simulation on the current image in the background (cancelling a run still going). */
    public void run() {
        if (currentRgb == null) {
            errorHandler.accept("No image", "Pick a sample image, open a file or a folder first.");
            return;
        }
        if (task != null && task.isRunning()) {
            task.cancel();
        }
        final Project project = kmodel == null ? projectSource.get() : null;
        if (kmodel == null && project == null) {
            errorHandler.accept("Nothing to simulate", "Open a project in the editor or a .kmodel file.");
            return;
        }
        PostProcessing pp;
        try {
            pp = postProcessing(labels(project));
        } catch (IOException e) {
            errorHandler.accept("Cannot read the labels", e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            errorHandler.accept("Check the output settings", e.getMessage());
            return;
        }
        final Kmodel km = kmodel;
        final RgbImage img = currentRgb;
        final String name = currentImage;
        final Target t = target.getValue();
        final boolean needCompile = project != null && (compiled == null || compiledTarget != t || !project.graph().equals(compiledGraph)
                || !project.settings().equals(compiledSettings));
        final Graph snapshot = project == null ? null : project.graph().copy();
        final Project frozen = project == null ? null : new Project(snapshot, project.settings());
        final K210Compiler.Result have = compiled;
        AtomicBoolean didCompile = new AtomicBoolean();
        task = new Task<>() {
            private K210Compiler.Result fresh;

            @Override
            protected SimulationResult call() throws Exception {
                if (km != null) {
                    updateMessage("Running " + kmodelName + " on kpu-sim…");
                    return Simulator.runKmodel(km, name, img, pp);
                }
                K210Compiler.Result c = have;
                if (needCompile) {
                    updateMessage("Compiling for " + t.label() + "…");
                    c = Simulator.compile(frozen, t, List.of(img), (phase, d, total) -> {
                        if (isCancelled()) {
                            throw new java.util.concurrent.CancellationException();
                        }
                        updateMessage("Compiling for " + t.label() + ": " + phase + (total > 1 ? " " + d + "/" + total : "") + "…");
                    });
                    fresh = c;
                    didCompile.set(true);
                }
                if (isCancelled()) {
                    return null;
                }
                updateMessage("Running float and K210…");
                SimulationResult r = Simulator.runProject(frozen, t, c, name, img, pp);
                if (didCompile.get()) {
                    final K210Compiler.Result keep = fresh;
                    Platform.runLater(() -> {
                        compiled = keep;
                        compiledGraph = snapshot;
                        compiledSettings = frozen.settings();
                        compiledTarget = t;
                    });
                }
                return r;
            }
        };
        Task<SimulationResult> mine = task;
        status.textProperty().unbind();
        status.textProperty().bind(task.messageProperty());
        running.set(true);
        runButton.setDisable(false);
        task.setOnSucceeded(e -> {
            if (mine != task) {
                return;
            }
            finish();
            SimulationResult r = mine.getValue();
            if (r != null) {
                show(r);
            }
        });
        task.setOnFailed(e -> {
            if (mine != task) {
                return;
            }
            finish();
            Throwable ex = mine.getException();
            status.setText("Failed: " + messageOf(ex));
            errorHandler.accept(titleOf(ex), messageOf(ex));
        });
        task.setOnCancelled(e -> {
            if (mine == task) {
                finish();
                status.setText("Cancelled.");
            }
        });
        Thread th = new Thread(task, "simulate");
        th.setDaemon(true);
        th.start();
    }

    /** Cancels a run in progress. */
    public void cancel() {
        if (task != null) {
            task.cancel();
        }
    }

    private void finish() {
        status.textProperty().unbind();
        running.set(false);
    }

    static String titleOf(Throwable e) {
        if (e instanceof CompileException) {
            return "The network does not compile for the K210";
        }
        if (e instanceof KmodelFormatException) {
            return "The kmodel cannot run";
        }
        if (e instanceof EvaluationException) {
            return "The float network cannot run";
        }
        return "Simulation failed";
    }

    static String messageOf(Throwable e) {
        String m = e.getMessage();
        if (e instanceof CompileException c && c.layerName() != null && (m == null || !m.contains(c.layerName()))) {
            m = "layer '" + c.layerName() + "': " + m;
        }
        return m == null ? e.toString() : m;
    }

    private void show(SimulationResult r) {
        result.set(r);
        inputView.setImage(Images.ofPlanar(r.planarInput(), r.inC(), r.inH(), r.inW()));
        fillAnswer(floatBox, r.floatAnswer());
        fillAnswer(k210Box, r.k210Answer());
        table.getItems().setAll(r.layers());
        chartViewer.setChart(CycleChart.chart(r.layers(), r.totalMillis()));
        long compared = r.layers().stream().filter(LayerRow::compared).count();
        String msg = String.format(Locale.ROOT, "%d layers, estimated %.2f ms on a K210 at 400 MHz", r.layers().size(), r.totalMillis());
        if (r.floatAnswer() != null) {
            msg += ", " + compared + " compared with float";
        }
        if (r.note() != null) {
            msg += " — " + r.note();
        }
        status.setText(msg);
        redraw();
    }

    private void fillAnswer(VBox box, ModelAnswer a) {
        box.getChildren().clear();
        if (a == null) {
            Label l = new Label("(no float model for a kmodel opened on its own)");
            l.setWrapText(true);
            box.getChildren().add(l);
            return;
        }
        if (a.error() != null) {
            Label l = new Label("Cannot decode: " + a.error());
            l.setWrapText(true);
            l.setTextFill(Color.FIREBRICK);
            box.getChildren().add(l);
        }
        for (Scored s : a.top()) {
            Label l = new Label(String.format(Locale.ROOT, "%6.4f  %s", s.score(), s.label() != null ? s.label() : "class " + s.index()));
            l.getStyleClass().add("sim-top");
            l.setFont(Font.font("Monospaced", 12));
            box.getChildren().add(l);
        }
        if (a.top().isEmpty() && a.error() == null) {
            if (kind.getValue() == PostProcessing.Kind.YOLO2 || kind.getValue() == PostProcessing.Kind.ULTRA_FACE) {
                box.getChildren().add(new Label(a.boxes().size() + " box(es)"));
                for (Detection d : a.boxes()) {
                    Label l = new Label(String.format(Locale.ROOT, "%.3f %s at %.0f,%.0f %.0f×%.0f", d.score(),
                            d.label() != null ? d.label() : "class " + d.classId(), d.x(), d.y(), d.w(), d.h()));
                    l.getStyleClass().add("sim-box");
                    box.getChildren().add(l);
                }
            } else {
                float[] v = a.firstOutput();
                StringBuilder b = new StringBuilder("output 0 (" + v.length + " values): ");
                for (int i = 0; i < Math.min(8, v.length); i++) {
                    b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", v[i]));
                }
                Label l = new Label(b.append(v.length > 8 ? ", …" : "").toString());
                l.setWrapText(true);
                box.getChildren().add(l);
            }
        }
    }

    private void redraw() {
        GraphicsContext g = picture.getGraphicsContext2D();
        double cw = picture.getWidth();
        double ch = picture.getHeight();
        g.setFill(Color.web("#20242a"));
        g.fillRect(0, 0, cw, ch);
        if (currentRgb == null) {
            return;
        }
        double s = Math.min(cw / currentRgb.width(), ch / currentRgb.height());
        double ox = (cw - currentRgb.width() * s) / 2;
        double oy = (ch - currentRgb.height() * s) / 2;
        g.drawImage(Images.of(currentRgb), ox, oy, currentRgb.width() * s, currentRgb.height() * s);
        SimulationResult r = result.get();
        if (r == null || r.image() != currentRgb) {
            return;
        }
        if (r.floatAnswer() != null) {
            drawBoxes(g, r.floatAnswer().boxes(), s, ox, oy, Color.DEEPSKYBLUE, true);
        }
        drawBoxes(g, r.k210Answer().boxes(), s, ox, oy, Color.LIMEGREEN, false);
        g.setFont(Font.font(12));
        g.setFill(Color.LIMEGREEN);
        g.fillText("K210", 8, 16);
        if (r.floatAnswer() != null) {
            g.setFill(Color.DEEPSKYBLUE);
            g.fillText("float (dashed)", 44, 16);
        }
    }

    private static void drawBoxes(GraphicsContext g, List<Detection> boxes, double s, double ox, double oy, Color c, boolean dashed) {
        g.setStroke(c);
        g.setLineWidth(2);
        g.setLineDashes(dashed ? new double[] {6, 4} : null);
        for (Detection d : boxes) {
            g.strokeRect(ox + d.x() * s, oy + d.y() * s, d.w() * s, d.h() * s);
            if (!dashed) {
                String label = String.format(Locale.ROOT, "%s %.2f", d.label() != null ? d.label() : "class " + d.classId(), d.score());
                g.setFill(c);
                g.fillText(label, ox + d.x() * s + 2, Math.max(12, oy + d.y() * s - 3));
            }
        }
        g.setLineDashes(null);
    }

    private void showMaps(LayerRow row) {
        mapFloat.setImage(null);
        mapK210.setImage(null);
        mapDiff.setImage(null);
        if (row == null) {
            return;
        }
        if (row.k210() == null) {
            mapTitle.setText("Layer " + row.index() + " " + row.type() + ": the runtime keeps no output of this layer"
                    + (kmodel == null && result.get() == null ? " (run first)" : ""));
            return;
        }
        FeatureMap k = row.k210();
        float[] range = FeatureMapGrid.range(row.reference() != null ? row.reference() : k);
        WritableImage ki = FeatureMapGrid.render(k, range[0], range[1], false);
        mapK210.setImage(ki);
        double fit = Math.min(360, Math.max(120, ki.getWidth()));
        mapK210.setFitWidth(fit);
        String text = String.format(Locale.ROOT, "Layer %d %s%s: %d×%d×%d (C×H×W)%s", row.index(), row.type(),
                row.layer() != null ? " (" + row.layer() + ")" : "", k.c(), k.h(), k.w(),
                k.c() > FeatureMapGrid.MAX_CHANNELS && k.h() * k.w() > 1 ? ", first " + FeatureMapGrid.MAX_CHANNELS + " channels" : "");
        if (row.reference() != null) {
            mapFloat.setImage(FeatureMapGrid.render(row.reference(), range[0], range[1], false));
            FeatureMap diff = k.minus(row.reference());
            float[] dr = FeatureMapGrid.range(diff);
            mapDiff.setImage(FeatureMapGrid.render(diff, dr[0], dr[1], true));
            mapFloat.setFitWidth(fit);
            mapDiff.setFitWidth(fit);
            text += String.format(Locale.ROOT, "; cosine %.4f, max |Δ| %.4g; grey %.3g…%.3g", row.cosine(), row.maxAbs(), range[0], range[1]);
        } else {
            text += String.format(Locale.ROOT, "; grey %.3g…%.3g (no float layer to compare)", range[0], range[1]);
        }
        mapTitle.setText(text);
    }

    private void buildTable() {
        table.setId("sim-layers");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.getColumns().add(column("#", r -> Integer.toString(r.index()), 36));
        table.getColumns().add(column("kmodel layer", LayerRow::type, 130));
        table.getColumns().add(column("IR layer", r -> r.layer() == null ? "" : r.layer(), 120));
        table.getColumns().add(column("verdict / unit", LayerRow::verdict, 80));
        table.getColumns().add(column("cosine", r -> r.compared() ? String.format(Locale.ROOT, "%.4f", r.cosine()) : "", 60));
        table.getColumns().add(column("max |Δ|", r -> r.compared() ? String.format(Locale.ROOT, "%.4g", r.maxAbs()) : "", 60));
        table.getColumns().add(column("cycles", r -> r.cycles() == 0 ? "" : Long.toString(r.cycles()), 70));
        table.getColumns().add(column("ms", r -> r.cycles() == 0 ? "" : String.format(Locale.ROOT, "%.3f", r.millis()), 55));
        table.setPlaceholder(new Label("Run to see every layer: where it ran, how close it is to float, its estimated time."));
        table.setRowFactory(tv -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(LayerRow item, boolean empty) {
                super.updateItem(item, empty);
                setStyle(item != null && item.compared() && item.cosine() < 0.9 ? "-fx-background-color: #fde0dc" : "");
            }
        });
    }

    private static TableColumn<LayerRow, String> column(String title, java.util.function.Function<LayerRow, String> f, double w) {
        TableColumn<LayerRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new SimpleStringProperty(f.apply(cd.getValue())));
        c.setPrefWidth(w);
        c.setSortable(false);
        return c;
    }

    private static VBox mapColumn(String title, ImageView v) {
        VBox b = new VBox(4, new Label(title), v);
        b.setAlignment(Pos.TOP_CENTER);
        return b;
    }

    private static VBox titled(String title, VBox content) {
        Label t = new Label(title);
        t.setStyle("-fx-font-weight: bold");
        VBox b = new VBox(3, t, content);
        VBox.setVgrow(content, Priority.NEVER);
        return b;
    }

    private static Button button(String text, String id, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    private static void showError(String title, String message) {
        Alert a = new Alert(Alert.AlertType.ERROR, message);
        a.setHeaderText(title);
        a.setTitle("K210 Studio");
        a.show();
    }
}
