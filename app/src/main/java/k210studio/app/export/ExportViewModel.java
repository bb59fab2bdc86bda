package k210studio.app.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import k210studio.app.simulate.PostProcessing;
import k210studio.app.simulate.Simulator;
import k210studio.app.work.Job;
import k210studio.app.work.JobListener;
import k210studio.app.work.Jobs;
import k210studio.app.work.Work;
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
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.MemoryEstimate;
import k210studio.ir.rules.Target;
import k210studio.ir.tensor.TensorShape;

/**
 * The export wizard's state and commands, without a window: the page, the choices of each page (target, calibration
 * folder and count, weight bits, Dense threshold, firmware budget, output folder, name, script mode), the compile
 * and its memory report (or the failure naming a layer), the written files, and the derived texts and flags the pages
 * show (Next enabled, its label, the memory message). Pages only bind to it. Compiling and writing run as
 * {@link Jobs}; Cancel stops them.
 */
public final class ExportViewModel {
    public static final int TARGET = 0;
    public static final int CALIBRATION = 1;
    public static final int QUANTIZATION = 2;
    public static final int MEMORY = 3;
    public static final int WRITE = 4;
    static final String[] TITLES = {"1. Target", "2. Calibration", "3. Quantization", "4. Memory", "5. Write"};

    private final Project project;
    private final String documentName;
    private final CheckReport check;
    private final Jobs jobs;
    private BiConsumer<String, String> errorHandler = (t, m) -> { };
    private Runnable closer = () -> { };

    private final ReadOnlyIntegerWrapper page = new ReadOnlyIntegerWrapper(-1);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty progressText = new SimpleStringProperty("");
    private final BooleanProperty nextDisabled = new SimpleBooleanProperty(false);
    private final BooleanProperty backDisabled = new SimpleBooleanProperty(true);
    private final StringProperty nextText = new SimpleStringProperty("Next >");

    private final ObjectProperty<Target> target = new SimpleObjectProperty<>();
    private final StringProperty calibrationFolder = new SimpleStringProperty("");
    private final ObjectProperty<Integer> calibrationCount = new SimpleObjectProperty<>(100);
    private final ObjectProperty<Integer> weightBits = new SimpleObjectProperty<>(8);
    private final ObjectProperty<Integer> denseThreshold = new SimpleObjectProperty<>(1024);
    private final ObjectProperty<MemoryBudget> budget = new SimpleObjectProperty<>(MemoryBudget.MAIXPY_MINIMUM);
    private final StringProperty outputFolder = new SimpleStringProperty("");
    private final StringProperty baseName = new SimpleStringProperty();
    private final ObjectProperty<MaixPyScript.Mode> scriptMode = new SimpleObjectProperty<>();

    private final ReadOnlyObjectWrapper<K210Compiler.Result> compiled = new ReadOnlyObjectWrapper<>();
    private CompileOptions compiledWith;
    private final ReadOnlyObjectWrapper<CompileException> failure = new ReadOnlyObjectWrapper<>();
    /** The memory page's state: compiling, cancelled, failed without a report, or charts to draw. */
    private final ReadOnlyObjectWrapper<MemoryView> memory = new ReadOnlyObjectWrapper<>(MemoryView.compiling());
    private final ReadOnlyObjectWrapper<ExportFiles.Written> written = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper writeResult = new ReadOnlyStringWrapper("");
    private Job job;

    public ExportViewModel(Project project, Jobs jobs) {
        this(project, jobs, project.settings().name());
    }

    /** @param documentName the document's name in the studio (its file's name once saved) */
    public ExportViewModel(Project project, Jobs jobs, String documentName) {
        this.project = project;
        this.documentName = documentName;
        this.jobs = jobs;
        this.check = K210Checker.check(project.graph());
        target.set(project.settings().target().equals(ProjectSettings.V4) ? Target.V4 : Target.V3);
        baseName.set(safeName(project.graph().name()));
        target.addListener((o, a, b) -> {
            if (b == Target.V4) {
                weightBits.set(8);
            }
            invalidate();
        });
        calibrationFolder.addListener((o, a, b) -> invalidate());
        calibrationCount.addListener((o, a, b) -> invalidate());
        weightBits.addListener((o, a, b) -> invalidate());
        denseThreshold.addListener((o, a, b) -> invalidate());
        budget.addListener((o, a, b) -> {
            // the compiler checks the main-RAM budget itself (and names the layer that breaks it): compile again
            invalidate();
            if (page.get() == MEMORY && !busy.get()) {
                compile();
            }
        });
    }

    public void setErrorHandler(BiConsumer<String, String> h) {
        errorHandler = h;
    }

    /** What Finish (and Cancel when nothing runs) does: close the window. */
    public void setCloser(Runnable r) {
        closer = r;
    }

    // ------------------------------------------------------------------ state

    public Project project() {
        return project;
    }

    public CheckReport check() {
        return check;
    }

    public ReadOnlyIntegerProperty pageProperty() {
        return page.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty progressTextProperty() {
        return progressText;
    }

    public BooleanProperty nextDisabledProperty() {
        return nextDisabled;
    }

    public BooleanProperty backDisabledProperty() {
        return backDisabled;
    }

    public StringProperty nextTextProperty() {
        return nextText;
    }

    public ObjectProperty<Target> targetProperty() {
        return target;
    }

    public Target target() {
        return target.get();
    }

    public StringProperty calibrationFolderProperty() {
        return calibrationFolder;
    }

    public ObjectProperty<Integer> calibrationCountProperty() {
        return calibrationCount;
    }

    public ObjectProperty<Integer> weightBitsProperty() {
        return weightBits;
    }

    public ObjectProperty<Integer> denseThresholdProperty() {
        return denseThreshold;
    }

    public ObjectProperty<MemoryBudget> budgetProperty() {
        return budget;
    }

    public StringProperty outputFolderProperty() {
        return outputFolder;
    }

    public StringProperty baseNameProperty() {
        return baseName;
    }

    public ObjectProperty<MaixPyScript.Mode> scriptModeProperty() {
        return scriptMode;
    }

    public K210Compiler.Result compiled() {
        return compiled.get();
    }

    public ReadOnlyObjectProperty<K210Compiler.Result> compiledProperty() {
        return compiled.getReadOnlyProperty();
    }

    public CompileException failure() {
        return failure.get();
    }

    public ReadOnlyObjectProperty<MemoryView> memoryProperty() {
        return memory.getReadOnlyProperty();
    }

    public MemoryChartData chartData() {
        return memory.get().data();
    }

    /** The per-step chart's columns drawn red (the layer the compiler named). */
    public Set<String> guiltyColumns() {
        return memory.get().guilty();
    }

    public ExportFiles.Written written() {
        return written.get();
    }

    public ReadOnlyStringProperty writeResultProperty() {
        return writeResult.getReadOnlyProperty();
    }

    /** The header line of a page. */
    public String header(int p) {
        return TITLES[p] + "  ·  " + documentName;
    }

    /** What Write will put in the folder: labels.txt only when the project has labels, and it says so. */
    public String writePlan() {
        int n = project.settings().labels().size();
        String files = n > 0 ? "<name>.kmodel, labels.txt (the project's " + n + " labels) and boot.py"
                : "<name>.kmodel and boot.py — no labels.txt, the project has no labels (boot.py prints class numbers)";
        return "Writes " + files + ": a MaixPy script that loads the model from the SD card and feeds camera frames with the same "
                + "preprocessing (" + k210studio.app.simulate.ModelInputText.of(project) + ").";
    }

    /** Text of the calibration page: where the images come from and the preprocessing. */
    public CalibrationPreview calibrationPreview() {
        return CalibrationPreview.of(project, calibrationFolder.get());
    }

    // ------------------------------------------------------------------ navigation

    /** Shows the first page. */
    public void start() {
        go(TARGET);
    }

    public void next() {
        int p = page.get();
        if (p == WRITE) {
            if (written.get() != null) {
                closer.run();
            } else {
                write();
            }
            return;
        }
        if (p == CALIBRATION && !calibrationFolder.get().isBlank() && !Files.isDirectory(Path.of(calibrationFolder.get().trim()))) {
            errorHandler.accept("Calibration folder", calibrationFolder.get() + " is not a folder: give a folder of sample images, or leave "
                    + "it empty to use the project's sample images.");
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
        if (job != null && job.isRunning()) {
            job.cancel();
        } else {
            closer.run();
        }
    }

    /** The window is closing: stop what runs. */
    public void closing() {
        if (job != null && job.isRunning()) {
            job.cancel();
        }
    }

    private void go(int p) {
        page.set(p);
        backDisabled.set(p == TARGET);
        nextText.set(p == WRITE ? (written.get() != null ? "Finish" : "Write") : "Next >");
        nextDisabled.set(false);
        if (p == MEMORY) {
            if (compiled.get() == null && failure.get() == null) {
                compile();
            } else {
                showMemory();
            }
        }
        if (p == WRITE) {
            if (outputFolder.get().isBlank()) {
                outputFolder.set(Path.of(System.getProperty("user.home"), "k210-export", baseName.get()).toString());
            }
            if (scriptMode.get() == null) {
                scriptMode.set(guessMode());
            }
        }
    }

    private void invalidate() {
        compiled.set(null);
        failure.set(null);
        written.set(null);
        memory.set(MemoryView.compiling());
    }

    // ------------------------------------------------------------------ compile

    /** Options from pages 1–3. */
    public CompileOptions options() throws CompileException {
        TensorShape in = Simulator.imageInput(project.graph());
        Simulator.PixelNormalization n = Simulator.normalization(project.settings().preprocessing(), in.c());
        return CompileOptions.defaults(target() == Target.V3 ? QuantRules.V3 : QuantRules.V4).withPreprocessing(n.mean(), n.std())
                .withWeightBits(target() == Target.V4 ? 8 : weightBits.get()).withKpuDenseMinWeights(denseThreshold.get())
                .withMainRamBudget(budget.get().bytes());
    }

    void compile() {
        nextDisabled.set(true);
        backDisabled.set(true);
        memory.set(MemoryView.compiling());
        final Graph g = project.graph().copy();
        final CalibrationImages images = new CalibrationImages(project, calibrationFolder.get().trim(), calibrationCount.get());
        start("Compiling", p -> {
            TensorShape in = Simulator.imageInput(g);
            Simulator.PixelNormalization n = Simulator.normalization(project.settings().preprocessing(), in.c());
            p.message("Loading calibration images…");
            p.fraction(-1, 1);
            var samples = images.load(in, n);
            CompileOptions opt = options();
            return K210Compiler.compile(g, samples, opt, (phase, d, total) -> {
                p.checkCancelled();
                p.message(phase + (total > 1 ? " " + d + "/" + total : ""));
                if (total > 0) {
                    p.fraction(d, total);
                }
            });
        }, r -> {
            compiled.set(r);
            try {
                compiledWith = options();
            } catch (CompileException e) {
                compiledWith = null;
            }
            failure.set(null);
            showMemory();
        }, ex -> {
            if (ex instanceof CompileException ce) {
                compiled.set(null);
                failure.set(ce);
                showMemory();
                errorHandler.accept("The model cannot be exported for " + target().label(), message(ce));
            } else {
                memory.set(MemoryView.note("The compile failed: " + ex));
                errorHandler.accept("Compile failed", String.valueOf(ex.getMessage() == null ? ex : ex.getMessage()));
            }
        }, () -> {
            memory.set(MemoryView.note("Cancelled. Press Back and Next to compile again."));
            nextDisabled.set(true);
        });
    }

    static String message(CompileException e) {
        String m = e.getMessage();
        if (e.layerName() != null && (m == null || !m.contains(e.layerName()))) {
            return "layer '" + e.layerName() + "': " + m;
        }
        return m;
    }

    private void showMemory() {
        MemoryBudget b = budget.get();
        K210Compiler.Result r = compiled.get();
        if (r != null) {
            MemoryChartData data = MemoryChartData.of(r, b);
            var rep = r.report();
            boolean fits = data.mainTotal() <= b.bytes();
            String s = String.format(Locale.ROOT, "%s: kmodel %,d B, KPU RAM peak %,d B of 2 MiB, main RAM %,d B (kmodel %,d + buffers %,d) of %,d B for %s.",
                    rep.target().toUpperCase(Locale.ROOT), rep.fileBytes(), rep.kpuPeakBytes(), data.mainTotal(), data.kmodelBytes(),
                    rep.mainBytes(), b.bytes(), b.label());
            if (!fits) {
                s += " It does NOT fit this firmware: choose a smaller model, V3, or a firmware with more free RAM.";
            }
            memory.set(MemoryView.report(data, s, fits));
            if (page.get() == MEMORY) {
                nextDisabled.set(!fits);
            }
        } else if (failure.get() != null) {
            CompileException f = failure.get();
            MemoryEstimate est = K210Checker.check(project.graph(), b).memory(target());
            MemoryChartData data = MemoryChartData.estimated(est, b);
            Set<String> cols = new LinkedHashSet<>(data.columnsOf(f.layerName()));
            int i = 0;
            for (KpuLayerMemory m : est.kpuLayers()) {
                String key = MemoryChartData.estimateKey(i++, m);
                if (!m.fits()) {
                    cols.add(key);
                }
            }
            memory.set(MemoryView.failed(data, cols, "Cannot export for " + target().label() + ": " + message(f)
                    + (f.layerName() != null ? "  — the layer '" + f.layerName() + "' is red below." : "")));
            nextDisabled.set(true);
        }
    }

    private MaixPyScript.Mode guessMode() {
        K210Compiler.Result r = compiled.get();
        if (r == null) {
            return MaixPyScript.Mode.RAW;
        }
        PostProcessing pp = PostProcessing.guess(r.model(), List.of());
        return pp.kind() == PostProcessing.Kind.YOLO2 ? MaixPyScript.Mode.YOLO2
                : pp.kind() == PostProcessing.Kind.CLASSIFIER ? MaixPyScript.Mode.CLASSIFIER : MaixPyScript.Mode.RAW;
    }

    // ------------------------------------------------------------------ write

    void write() {
        final K210Compiler.Result r = compiled.get();
        if (r == null) {
            errorHandler.accept("Nothing to write", "Go back to the Memory page: the model has not compiled.");
            return;
        }
        String name = baseName.get() == null ? "" : baseName.get().trim();
        if (name.isEmpty() || !name.matches("[A-Za-z0-9_.-]+")) {
            errorHandler.accept("kmodel name", "'" + name + "' is not a file name: use letters, digits, '_', '-' and '.'.");
            return;
        }
        if (outputFolder.get().isBlank()) {
            errorHandler.accept("Export folder", "Choose the folder to write into.");
            return;
        }
        final Path dir = Path.of(outputFolder.get().trim());
        final CompileOptions o = compiledWith;
        final List<String> labels = project.settings().labels();
        final MaixPyScript.Mode mode = scriptMode.get() == null ? MaixPyScript.Mode.RAW : scriptMode.get();
        nextDisabled.set(true);
        start("Writing", p -> {
            p.message("Writing…");
            p.fraction(0, 3);
            String script = MaixPyScript.generate(name + ".kmodel", labels.isEmpty() ? null : "labels.txt", r.model(),
                    o == null ? 0 : o.mean(), o == null ? 255 : o.std(), mode, PostProcessing.FACE_ANCHORS);
            p.checkCancelled();
            ExportFiles.Written w = ExportFiles.write(dir, name, r.kmodel(), labels, script);
            p.fraction(3, 3);
            return w;
        }, w -> {
            written.set(w);
            writeResult.set("Written:\n  " + w.kmodel() + "  (" + r.kmodel().length + " bytes)\n"
                    + (w.labels() != null ? "  " + w.labels() + "  (" + labels.size() + " labels)\n" : "") + "  " + w.script()
                    + (w.labels() == null ? "\nNo labels.txt: the project has no labels." : "")
                    + "\nCopy them to the SD card; boot.py runs at power-on.");
            nextText.set("Finish");
            nextDisabled.set(false);
        }, ex -> {
            nextDisabled.set(false);
            errorHandler.accept("Cannot write the export", ex.getMessage() == null ? ex.toString() : ex.getMessage());
        }, () -> {
            nextDisabled.set(false);
            writeResult.set("Cancelled: nothing was replaced.");
        });
    }

    private <T> void start(String what, Work<T> work, java.util.function.Consumer<T> ok, java.util.function.Consumer<Throwable> failed,
                           Runnable cancelled) {
        busy.set(true);
        backDisabled.set(true);
        Runnable done = () -> {
            busy.set(false);
            progressText.set("");
            backDisabled.set(page.get() == TARGET);
        };
        job = jobs.start("export-" + what.toLowerCase(Locale.ROOT), work, new JobListener<T>() {
            @Override
            public void message(String text) {
                progressText.set(text);
            }

            @Override
            public void progress(double fraction) {
                progress.set(fraction);
            }

            @Override
            public void succeeded(T value) {
                done.run();
                ok.accept(value);
            }

            @Override
            public void failed(Throwable error) {
                done.run();
                failed.accept(error);
            }

            @Override
            public void cancelled() {
                done.run();
                cancelled.run();
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    public void setCalibrationFolder(Path p) {
        calibrationFolder.set(p == null ? "" : p.toString());
    }

    public void setOutputFolder(Path p) {
        outputFolder.set(p.toString());
    }

    static String safeName(String s) {
        String n = s.replaceAll("[^A-Za-z0-9_.-]+", "_");
        return n.isEmpty() ? "model" : n;
    }

    /** Reads every image name of a folder (sorted), for the preview. */
    static List<Path> imagesIn(Path folder) throws IOException {
        try (var s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpg|jpeg|png|bmp)")).sorted().toList();
        }
    }
}
