package k210studio.app.export;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.DirectoryChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import k210studio.app.simulate.Images;
import k210studio.app.simulate.PostProcessing;
import k210studio.app.simulate.Simulator;
import k210studio.converter.compile.CalibrationDataset;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.rules.CheckReport;
import k210studio.ir.rules.K210Checker;
import k210studio.ir.rules.KpuLayerMemory;
import k210studio.ir.rules.LayerCheck;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.MemoryEstimate;
import k210studio.ir.rules.Target;
import k210studio.ir.rules.Verdict;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.image.RgbImage;
import org.jfree.chart.fx.ChartViewer;

/**
 * The export wizard, five pages in one window (a paged dialog of our own: ControlsFX's Wizard sizes and
 * closes itself through a modal {@code Dialog}, which headless tests cannot drive reliably):
 * <ol>
 *   <li>Target: V3 or V4, what each supports, which MaixPy firmware loads which, the project's verdicts for both;</li>
 *   <li>Calibration: folder (or the project's sample images), count, preprocessing and a preview of the board input;</li>
 *   <li>Quantization: weight bits (16 only for V3), the Dense-on-KPU threshold;</li>
 *   <li>Memory: the compile runs (progress, Cancel); charts of KPU RAM per step (2 MiB line), the KPU RAM timeline and
 *       main RAM against the chosen firmware preset. A model that does not fit stops here, its layer named and red;</li>
 *   <li>Write: {@code .kmodel}, {@code labels.txt}, {@code boot.py}, each through a temp file and a rename.</li>
 * </ol>
 * The compile and the writing run on a background thread; Cancel stops them.
 */
public final class ExportWizard {
    public static final int TARGET = 0;
    public static final int CALIBRATION = 1;
    public static final int QUANTIZATION = 2;
    public static final int MEMORY = 3;
    public static final int WRITE = 4;
    private static final String[] TITLES = {"1. Target", "2. Calibration", "3. Quantization", "4. Memory", "5. Write"};

    private final Project project;
    private final Stage stage = new Stage();
    private final BorderPane root = new BorderPane();
    private final Label header = new Label();
    private final Button back = new Button("< Back");
    private final Button next = new Button("Next >");
    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar(0);
    private final Label progressText = new Label();
    private final ReadOnlyIntegerWrapper page = new ReadOnlyIntegerWrapper(-1);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private BiConsumer<String, String> errorHandler = ExportWizard::showError;

    // page 1
    private final RadioButton v3 = new RadioButton("kmodel V3 (nncase 0.1.0-rc5)");
    private final RadioButton v4 = new RadioButton("kmodel V4 (nncase 0.2.0-beta4)");
    // page 2
    private final TextField calibFolder = new TextField();
    private final Spinner<Integer> calibCount = new Spinner<>(1, 10_000, 100);
    private final ImageView calibPreview = new ImageView();
    private final Label calibInfo = new Label();
    // page 3
    private final ComboBox<Integer> weightBits = new ComboBox<>();
    private final Spinner<Integer> denseThreshold = new Spinner<>(1, 1 << 24, 1024, 256);
    // page 4
    private final ComboBox<MemoryBudget> budget = new ComboBox<>();
    private final VBox memoryBox = new VBox(8);
    private final Label memoryMessage = new Label();
    private ChartViewer perLayerViewer;
    private ChartViewer timelineViewer;
    private ChartViewer mainViewer;
    // page 5
    private final TextField outFolder = new TextField();
    private final TextField baseName = new TextField();
    private final ComboBox<MaixPyScript.Mode> scriptMode = new ComboBox<>();
    private final Label writeResult = new Label();

    private CheckReport check;
    private K210Compiler.Result compiled;
    private CompileOptions compiledWith;
    private CompileException failure;
    private MemoryChartData chartData;
    private Set<String> guilty = Set.of();
    private ExportFiles.Written written;
    private Task<?> task;
    private final List<Node> pages = new ArrayList<>();

    public ExportWizard(Project project, Window owner) {
        this.project = project;
        stage.setTitle("Export to K210 — " + project.settings().name());
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        check = K210Checker.check(project.graph());
        ToggleGroup tg = new ToggleGroup();
        v3.setToggleGroup(tg);
        v4.setToggleGroup(tg);
        v3.setId("export-v3");
        v4.setId("export-v4");
        (project.settings().target().equals(ProjectSettings.V4) ? v4 : v3).setSelected(true);
        tg.selectedToggleProperty().addListener((o, a, b) -> {
            weightBits.setDisable(target() == Target.V4);
            if (target() == Target.V4) {
                weightBits.setValue(8);
            }
            invalidate();
        });
        calibFolder.setId("export-calib-folder");
        calibFolder.setPromptText("empty: the project's sample images");
        calibFolder.textProperty().addListener((o, a, b) -> invalidate());
        calibCount.setId("export-calib-count");
        calibCount.setEditable(true);
        calibCount.valueProperty().addListener((o, a, b) -> invalidate());
        weightBits.getItems().addAll(8, 16);
        weightBits.setValue(8);
        weightBits.setId("export-weight-bits");
        weightBits.setDisable(target() == Target.V4);
        weightBits.valueProperty().addListener((o, a, b) -> invalidate());
        denseThreshold.setEditable(true);
        denseThreshold.setId("export-dense-threshold");
        denseThreshold.valueProperty().addListener((o, a, b) -> invalidate());
        budget.getItems().addAll(MemoryBudget.values());
        budget.setValue(MemoryBudget.MAIXPY_MINIMUM);
        budget.setId("export-budget");
        budget.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(MemoryBudget b) {
                return b == null ? "" : String.format(Locale.ROOT, "%s — %,d B", b.label(), b.bytes());
            }

            @Override
            public MemoryBudget fromString(String s) {
                return null;
            }
        });
        budget.valueProperty().addListener((o, a, b) -> {
            // the compiler checks the main-RAM budget itself (and names the layer that breaks it): compile again
            if (page.get() == MEMORY && !busy.get()) {
                invalidate();
                compile();
            } else {
                invalidate();
            }
        });
        outFolder.setId("export-out-folder");
        baseName.setId("export-base-name");
        baseName.setText(safeName(project.graph().name()));
        scriptMode.getItems().addAll(MaixPyScript.Mode.values());
        scriptMode.setId("export-script-mode");
        writeResult.setId("export-write-result");
        writeResult.setWrapText(true);
        memoryMessage.setId("export-memory-message");
        memoryMessage.setWrapText(true);

        pages.add(targetPage());
        pages.add(calibrationPage());
        pages.add(quantizationPage());
        pages.add(memoryPage());
        pages.add(writePage());

        header.setStyle("-fx-font-size: 16px; -fx-font-weight: bold");
        header.setPadding(new Insets(10, 12, 6, 12));
        back.setId("export-back");
        next.setId("export-next");
        cancel.setId("export-cancel");
        back.setOnAction(e -> back());
        next.setOnAction(e -> next());
        cancel.setOnAction(e -> cancel());
        progress.setId("export-progress");
        progress.setPrefWidth(220);
        progress.visibleProperty().bind(busy);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(8, progress, progressText, grow, back, next, cancel);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        buttons.setPadding(new Insets(8, 12, 10, 12));
        root.setTop(header);
        root.setBottom(buttons);
        stage.setScene(new Scene(root, 1100, 780));
        stage.setOnCloseRequest(e -> {
            if (task != null && task.isRunning()) {
                task.cancel();
            }
        });
        go(TARGET);
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
    }

    public void setErrorHandler(BiConsumer<String, String> h) {
        errorHandler = h;
    }

    public ReadOnlyIntegerProperty pageProperty() {
        return page.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public K210Compiler.Result compiled() {
        return compiled;
    }

    public CompileException failure() {
        return failure;
    }

    public MemoryChartData chartData() {
        return chartData;
    }

    /** The per-step chart's columns drawn red (the layer the compiler named). */
    public Set<String> guiltyColumns() {
        return guilty;
    }

    public ChartViewer perLayerChart() {
        return perLayerViewer;
    }

    public ChartViewer timelineChart() {
        return timelineViewer;
    }

    public ChartViewer mainRamChart() {
        return mainViewer;
    }

    public ExportFiles.Written written() {
        return written;
    }

    public Target target() {
        return v4.isSelected() ? Target.V4 : Target.V3;
    }

    public boolean nextEnabled() {
        return !next.isDisabled();
    }

    // ---- navigation

    public void next() {
        int p = page.get();
        if (p == WRITE) {
            if (written != null) {
                stage.close();
            } else {
                write();
            }
            return;
        }
        if (p == CALIBRATION && !calibFolder.getText().isBlank() && !java.nio.file.Files.isDirectory(Path.of(calibFolder.getText().trim()))) {
            errorHandler.accept("Calibration folder", calibFolder.getText() + " is not a folder: give a folder of sample images, or leave it empty to use the project's sample images.");
            return;
        }
        go(p + 1);
    }

    public void back() {
        if (page.get() > TARGET && !busy.get()) {
            go(page.get() - 1);
        }
    }

    /** Cancels a running compile or write; otherwise closes the wizard. */
    public void cancel() {
        if (task != null && !task.isDone()) {
            task.cancel();
        } else {
            stage.close();
        }
    }

    private void go(int p) {
        page.set(p);
        header.setText(TITLES[p] + "  ·  " + project.settings().name());
        ScrollPane sp = new ScrollPane(pages.get(p));
        sp.setFitToWidth(true);
        sp.setPadding(new Insets(4, 12, 4, 12));
        root.setCenter(sp);
        back.setDisable(p == TARGET);
        next.setText(p == WRITE ? (written != null ? "Finish" : "Write") : "Next >");
        next.setDisable(false);
        if (p == CALIBRATION) {
            refreshPreview();
        }
        if (p == MEMORY) {
            if (compiled == null && failure == null) {
                compile();
            } else {
                showMemory();
            }
        }
        if (p == WRITE) {
            if (outFolder.getText().isBlank()) {
                outFolder.setText(Path.of(System.getProperty("user.home"), "k210-export", baseName.getText()).toString());
            }
            if (scriptMode.getValue() == null) {
                scriptMode.setValue(guessMode());
            }
        }
    }

    private void invalidate() {
        compiled = null;
        failure = null;
        chartData = null;
        written = null;
    }

    // ---- pages

    private Node targetPage() {
        VBox b = new VBox(10);
        b.getChildren().add(new Label("Which kmodel should the studio write?"));
        b.getChildren().add(targetChoice(v3, Target.V3,
                "Fewer operators, less memory and faster: KPU convs (1×1, 3×3, stride 1/2 with symmetric padding), "
                        + "BN + activation + 2×2/4×4 pooling fused, Dense as a 1×1 KPU conv or float on the CPU, and a few "
                        + "CPU layers (global average pool, softmax, add, concat, flatten, nearest upsampling, pooling).",
                "Loads on every MaixPy firmware (and the standalone SDK's kpu_load_kmodel)."));
        b.getChildren().add(targetChoice(v4, Target.V4,
                "More operators, the extra ones in software on the CPU (TF 'same' stride 2 with pad/crop, PReLU, bigger "
                        + "kernels as float convs, transposed conv…), at a cost in memory and time. Output shapes are not in the "
                        + "file: the script calls kpu.set_outputs.",
                "Needs MaixPy v0.6.2 or later built with kmodel V4 support (CONFIG_MICROPYTHON_KMODEL_V4_SUPPORT); a V3-only "
                        + "firmware says \"only support kmodel V3\" (or ERR_KMODEL_VERSION)."));
        Label rec = new Label(check.convertsFor(Target.V3)
                ? "Recommendation: V3 — it can run this network and is smaller and faster."
                : check.convertsFor(Target.V4) ? "Recommendation: V4 — V3 cannot convert this network (see the reasons above)."
                : "Neither version can convert this network as it is: fix the problems in the editor first.");
        rec.setStyle("-fx-font-weight: bold");
        rec.setWrapText(true);
        b.getChildren().add(rec);
        return b;
    }

    private Node targetChoice(RadioButton rb, Target t, String supports, String firmware) {
        Map<Verdict, Integer> counts = new java.util.EnumMap<>(Verdict.class);
        for (LayerCheck lc : check.layers()) {
            counts.merge(lc.verdict(t), 1, Integer::sum);
        }
        StringBuilder v = new StringBuilder("This project: ");
        for (Verdict vd : Verdict.values()) {
            v.append(vd.display()).append(' ').append(counts.getOrDefault(vd, 0)).append("   ");
        }
        v.append(check.convertsFor(t) ? "— converts" : "— does NOT convert");
        Label verdicts = new Label(v.toString());
        verdicts.setId("export-verdicts-" + t.label().toLowerCase(Locale.ROOT));
        verdicts.setTextFill(check.convertsFor(t) ? Color.DARKGREEN : Color.FIREBRICK);
        VBox box = new VBox(4, rb, wrap(supports), wrap("Firmware: " + firmware), verdicts);
        for (String p : check.problems(t).stream().limit(4).toList()) {
            Label l = wrap("• " + p);
            l.setTextFill(Color.FIREBRICK);
            box.getChildren().add(l);
        }
        box.setPadding(new Insets(8));
        box.setStyle("-fx-border-color: #d0d7de; -fx-border-radius: 6");
        return box;
    }

    private Node calibrationPage() {
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Calibration images");
            File f = dc.showDialog(stage);
            if (f != null) {
                calibFolder.setText(f.toString());
                refreshPreview();
            }
        });
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        HBox.setHgrow(calibFolder, Priority.ALWAYS);
        g.addRow(0, new Label("Folder"), new HBox(6, calibFolder, browse));
        g.addRow(1, new Label("Use at most"), new HBox(6, calibCount, new Label("images (sorted by name)")));
        calibFolder.setPrefColumnCount(40);
        calibPreview.setPreserveRatio(true);
        calibPreview.setFitWidth(320);
        calibPreview.setId("export-calib-preview");
        calibInfo.setWrapText(true);
        VBox b = new VBox(10, wrap("Calibration images set the quantization ranges of every layer. Use images like those the "
                + "camera will see (20–200). They are preprocessed exactly as on the board: resized to the model input "
                + "(bilinear), planar RGB or grey, then x = (pixel − mean) / std."), g, calibInfo, new Label("Board input of the first image:"), calibPreview);
        return b;
    }

    private Node quantizationPage() {
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(10);
        g.addRow(0, new Label("KPU weight bits"), weightBits, wrap("8 (default) or 16 — 16-bit weights exist in kmodel V3 only (ncc --weights-bits 16); twice the weight memory, slower."));
        g.addRow(1, new Label("Dense on the KPU from"), denseThreshold, wrap("weights; smaller Dense layers run in float on the CPU (nncase's threshold: 1024)."));
        return new VBox(10, g);
    }

    private Node memoryPage() {
        HBox top = new HBox(8, new Label("Firmware preset"), budget);
        top.setAlignment(Pos.CENTER_LEFT);
        Label src = new Label();
        src.setWrapText(true);
        budget.valueProperty().addListener((o, a, b) -> src.setText(b == null ? "" : b.source()));
        src.setText(budget.getValue().source());
        memoryBox.getChildren().setAll(new Label("Compiling…"));
        return new VBox(8, top, src, memoryMessage, memoryBox);
    }

    private Node writePage() {
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Export folder");
            File f = dc.showDialog(stage);
            if (f != null) {
                outFolder.setText(f.toString());
            }
        });
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        outFolder.setPrefColumnCount(40);
        g.addRow(0, new Label("Folder"), new HBox(6, outFolder, browse));
        g.addRow(1, new Label("kmodel name"), new HBox(6, baseName, new Label(".kmodel")));
        g.addRow(2, new Label("boot.py reads the output as"), scriptMode);
        return new VBox(10, wrap("Writes <name>.kmodel, labels.txt (the project's labels) and boot.py, a MaixPy script that loads the "
                + "model from the SD card and feeds camera frames with the same preprocessing."), g, writeResult);
    }

    // ---- work

    private void refreshPreview() {
        try {
            TensorShape in = Simulator.imageInput(project.graph());
            Simulator.PixelNormalization n = Simulator.normalization(project.settings().preprocessing(), in.c());
            RgbImage first = null;
            String src;
            String folder = calibFolder.getText().trim();
            if (!folder.isEmpty()) {
                List<Path> files;
                try (var s = java.nio.file.Files.list(Path.of(folder))) {
                    files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpg|jpeg|png|bmp)")).sorted().toList();
                }
                src = files.size() + " image(s) in the folder";
                if (!files.isEmpty()) {
                    first = Simulator.readImage(files.get(0).toString());
                }
            } else {
                List<String> s = project.settings().sampleImages();
                src = "no folder: the project's " + s.size() + " sample image(s) " + s;
                if (!s.isEmpty()) {
                    first = Simulator.readImage(s.get(0));
                }
            }
            calibInfo.setText(String.format(Locale.ROOT, "%s. Preprocessing: x = (pixel − %s) / %s → inputs in [%.4g, %.4g]; input %d×%d×%d (H×W×C)%s.",
                    src, trim(n.mean()), trim(n.std()), (0 - n.mean()) / n.std(), (255 - n.mean()) / n.std(), in.h(), in.w(), in.c(),
                    n.warning() == null ? "" : "; " + n.warning()));
            if (first != null) {
                calibPreview.setImage(Images.ofPlanar(Simulator.planar(first, in.c(), in.h(), in.w(), project.settings().preprocessing().channelOrder()),
                        in.c(), in.h(), in.w()));
            }
        } catch (Exception e) {
            calibInfo.setText("Cannot preview: " + e.getMessage());
        }
    }

    private List<Tensor> samples(TensorShape in, Simulator.PixelNormalization n) throws CompileException {
        String folder = calibFolder.getText().trim();
        int max = calibCount.getValue();
        if (!folder.isEmpty()) {
            return CalibrationDataset.load(Path.of(folder), in, n.mean(), n.std(), max);
        }
        List<Tensor> out = new ArrayList<>();
        for (String s : project.settings().sampleImages()) {
            if (out.size() >= max) {
                break;
            }
            try {
                out.add(Simulator.tensor(Simulator.readImage(s), in, n, project.settings().preprocessing().channelOrder()));
            } catch (Exception e) {
                throw new CompileException("cannot read the sample image " + s + ": " + e.getMessage()
                        + " (choose a calibration folder instead)", null, e);
            }
        }
        if (out.isEmpty()) {
            throw new CompileException("no calibration images: choose a folder of sample images on the Calibration page", null);
        }
        return out;
    }

    /** Options from pages 1–3. */
    public CompileOptions options() throws CompileException {
        TensorShape in = Simulator.imageInput(project.graph());
        Simulator.PixelNormalization n = Simulator.normalization(project.settings().preprocessing(), in.c());
        return CompileOptions.defaults(target() == Target.V3 ? QuantRules.V3 : QuantRules.V4).withPreprocessing(n.mean(), n.std())
                .withWeightBits(target() == Target.V4 ? 8 : weightBits.getValue()).withKpuDenseMinWeights(denseThreshold.getValue())
                .withMainRamBudget(budget.getValue().bytes());
    }

    private void compile() {
        next.setDisable(true);
        back.setDisable(true);
        memoryBox.getChildren().setAll(new Label("Compiling…"));
        memoryMessage.setText("");
        final Graph g = project.graph().copy();
        Task<K210Compiler.Result> t = new Task<>() {
            @Override
            protected K210Compiler.Result call() throws Exception {
                TensorShape in = Simulator.imageInput(g);
                Simulator.PixelNormalization n = Simulator.normalization(project.settings().preprocessing(), in.c());
                updateMessage("Loading calibration images…");
                updateProgress(-1, 1);
                List<Tensor> samples = samples(in, n);
                CompileOptions opt = options();
                return K210Compiler.compile(g, samples, opt, (phase, d, total) -> {
                    if (isCancelled()) {
                        throw new CancellationException();
                    }
                    updateMessage(phase + (total > 1 ? " " + d + "/" + total : ""));
                    if (total > 0) {
                        updateProgress(d, total);
                    }
                });
            }
        };
        start(t, "Compiling", r -> {
            compiled = r;
            try {
                compiledWith = options();
            } catch (CompileException e) {
                compiledWith = null;
            }
            failure = null;
            showMemory();
        }, ex -> {
            if (ex instanceof CompileException ce) {
                compiled = null;
                failure = ce;
                showMemory();
                errorHandler.accept("The model cannot be exported for " + target().label(), message(ce));
            } else {
                memoryBox.getChildren().setAll(new Label("The compile failed: " + ex));
                errorHandler.accept("Compile failed", String.valueOf(ex.getMessage() == null ? ex : ex.getMessage()));
            }
        }, () -> {
            memoryBox.getChildren().setAll(new Label("Cancelled. Press Back and Next to compile again."));
            next.setDisable(true);
        });
    }

    private static String message(CompileException e) {
        String m = e.getMessage();
        if (e.layerName() != null && (m == null || !m.contains(e.layerName()))) {
            return "layer '" + e.layerName() + "': " + m;
        }
        return m;
    }

    private void showMemory() {
        if (page.get() != MEMORY && perLayerViewer == null) {
            return;
        }
        MemoryBudget b = budget.getValue();
        if (compiled != null) {
            chartData = MemoryChartData.of(compiled.report(), b);
            guilty = Set.of();
            perLayerViewer = viewer(MemoryCharts.perLayer(chartData, guilty, "KPU RAM per step (input + output)"), "export-chart-kpu");
            timelineViewer = viewer(MemoryCharts.timeline(chartData), "export-chart-timeline");
            mainViewer = viewer(MemoryCharts.mainRam(chartData), "export-chart-main");
            var rep = compiled.report();
            boolean fits = chartData.mainTotal() <= b.bytes();
            String s = String.format(Locale.ROOT, "%s: kmodel %,d B, KPU RAM peak %,d B of 2 MiB, main RAM %,d B (kmodel %,d + buffers %,d) of %,d B for %s.",
                    rep.target().toUpperCase(Locale.ROOT), rep.fileBytes(), rep.kpuPeakBytes(), chartData.mainTotal(), rep.fileBytes(),
                    rep.mainBytes(), b.bytes(), b.label());
            if (!fits) {
                s += " It does NOT fit this firmware: choose a smaller model, V3, or a firmware with more free RAM.";
            }
            memoryMessage.setText(s);
            memoryMessage.setTextFill(fits ? Color.DARKGREEN : Color.FIREBRICK);
            HBox row = new HBox(8, timelineViewer, mainViewer);
            HBox.setHgrow(timelineViewer, Priority.ALWAYS);
            mainViewer.setPrefWidth(300);
            memoryBox.getChildren().setAll(perLayerViewer, row);
            if (page.get() == MEMORY) {
                next.setDisable(!fits);
            }
        } else if (failure != null) {
            MemoryEstimate est = K210Checker.check(project.graph(), b).memory(target());
            chartData = MemoryChartData.estimated(est, b);
            Set<String> cols = new LinkedHashSet<>(chartData.columnsOf(failure.layerName()));
            int i = 0;
            for (KpuLayerMemory m : est.kpuLayers()) {
                String key = MemoryChartData.estimateKey(i++, m);
                if (!m.fits()) {
                    cols.add(key);
                }
            }
            guilty = cols;
            perLayerViewer = viewer(MemoryCharts.perLayer(chartData, guilty, "KPU RAM per layer (checker's estimate; the compile stopped)"), "export-chart-kpu");
            mainViewer = viewer(MemoryCharts.mainRam(chartData), "export-chart-main");
            timelineViewer = null;
            memoryMessage.setText("Cannot export for " + target().label() + ": " + message(failure)
                    + (failure.layerName() != null ? "  — the layer '" + failure.layerName() + "' is red below." : ""));
            memoryMessage.setTextFill(Color.FIREBRICK);
            memoryBox.getChildren().setAll(perLayerViewer, mainViewer);
            mainViewer.setPrefHeight(260);
            next.setDisable(true);
        }
    }

    private static ChartViewer viewer(org.jfree.chart.JFreeChart c, String id) {
        ChartViewer v = new ChartViewer(c);
        v.setId(id);
        v.setPrefHeight(300);
        v.setMinHeight(240);
        return v;
    }

    private MaixPyScript.Mode guessMode() {
        if (compiled == null) {
            return MaixPyScript.Mode.RAW;
        }
        PostProcessing pp = PostProcessing.guess(compiled.model(), List.of());
        return pp.kind() == PostProcessing.Kind.YOLO2 ? MaixPyScript.Mode.YOLO2
                : pp.kind() == PostProcessing.Kind.CLASSIFIER ? MaixPyScript.Mode.CLASSIFIER : MaixPyScript.Mode.RAW;
    }

    private void write() {
        if (compiled == null) {
            errorHandler.accept("Nothing to write", "Go back to the Memory page: the model has not compiled.");
            return;
        }
        String name = baseName.getText().trim();
        if (name.isEmpty() || !name.matches("[A-Za-z0-9_.-]+")) {
            errorHandler.accept("kmodel name", "'" + name + "' is not a file name: use letters, digits, '_', '-' and '.'.");
            return;
        }
        if (outFolder.getText().isBlank()) {
            errorHandler.accept("Export folder", "Choose the folder to write into.");
            return;
        }
        final Path dir = Path.of(outFolder.getText().trim());
        final K210Compiler.Result r = compiled;
        final CompileOptions o = compiledWith;
        final List<String> labels = project.settings().labels();
        final MaixPyScript.Mode mode = scriptMode.getValue() == null ? MaixPyScript.Mode.RAW : scriptMode.getValue();
        next.setDisable(true);
        Task<ExportFiles.Written> t = new Task<>() {
            @Override
            protected ExportFiles.Written call() throws IOException {
                updateMessage("Writing…");
                updateProgress(0, 3);
                String script = MaixPyScript.generate(name + ".kmodel", labels.isEmpty() ? null : "labels.txt", r.model(),
                        o == null ? 0 : o.mean(), o == null ? 255 : o.std(), mode, PostProcessing.FACE_ANCHORS);
                if (isCancelled()) {
                    return null;
                }
                ExportFiles.Written w = ExportFiles.write(dir, name, r.kmodel(), labels, script);
                updateProgress(3, 3);
                return w;
            }
        };
        start(t, "Writing", w -> {
            written = w;
            writeResult.setText("Written:\n  " + w.kmodel() + "  (" + r.kmodel().length + " bytes)\n"
                    + (w.labels() != null ? "  " + w.labels() + "\n" : "") + "  " + w.script()
                    + "\nCopy them to the SD card; boot.py runs at power-on.");
            writeResult.setTextFill(Color.DARKGREEN);
            next.setText("Finish");
            next.setDisable(false);
        }, ex -> {
            next.setDisable(false);
            errorHandler.accept("Cannot write the export", ex.getMessage() == null ? ex.toString() : ex.getMessage());
        }, () -> {
            next.setDisable(false);
            writeResult.setText("Cancelled: nothing was replaced.");
        });
    }

    private <T> void start(Task<T> t, String what, java.util.function.Consumer<T> ok, java.util.function.Consumer<Throwable> failed, Runnable cancelled) {
        task = t;
        busy.set(true);
        back.setDisable(true);
        progress.progressProperty().bind(t.progressProperty());
        progressText.textProperty().bind(t.messageProperty());
        Runnable done = () -> {
            busy.set(false);
            progress.progressProperty().unbind();
            progressText.textProperty().unbind();
            progressText.setText("");
            back.setDisable(page.get() == TARGET);
        };
        t.setOnSucceeded(e -> {
            done.run();
            if (t.getValue() == null) {
                cancelled.run();
            } else {
                ok.accept(t.getValue());
            }
        });
        t.setOnFailed(e -> {
            done.run();
            Throwable ex = t.getException();
            if (ex instanceof CancellationException) {
                cancelled.run();
            } else {
                failed.accept(ex);
            }
        });
        t.setOnCancelled(e -> {
            done.run();
            cancelled.run();
        });
        Thread th = new Thread(t, "export-" + what.toLowerCase(Locale.ROOT));
        th.setDaemon(true);
        th.start();
    }

    // ---- helpers

    public void setCalibrationFolder(Path p) {
        calibFolder.setText(p == null ? "" : p.toString());
    }

    public void setOutputFolder(Path p) {
        outFolder.setText(p.toString());
    }

    public void setTarget(Target t) {
        (t == Target.V4 ? v4 : v3).setSelected(true);
    }

    public void setBudget(MemoryBudget b) {
        budget.setValue(b);
    }

    private static String safeName(String s) {
        String n = s.replaceAll("[^A-Za-z0-9_.-]+", "_");
        return n.isEmpty() ? "model" : n;
    }

    private static String trim(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }

    private static Label wrap(String s) {
        Label l = new Label(s);
        l.setWrapText(true);
        return l;
    }

    private static void showError(String title, String message) {
        Platform.runLater(() -> {
            Alert a = new Alert(Alert.AlertType.ERROR, message);
            a.setHeaderText(title);
            a.setTitle("K210 Studio — export");
            a.show();
        });
    }
}
