package k210studio.app.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import k210studio.converter.evaluate.EvalCancel;
import k210studio.converter.evaluate.EvalDataset;
import k210studio.converter.evaluate.EvalProgress;
import k210studio.converter.evaluate.EvalReport;
import k210studio.converter.evaluate.EvaluateException;
import k210studio.converter.evaluate.Evaluator;
import k210studio.converter.evaluate.K210Build;
import k210studio.converter.evaluate.doctor.DoctorReport;
import k210studio.converter.evaluate.doctor.QuantDoctor;
import k210studio.converter.evaluate.doctor.RankedLayer;
import k210studio.converter.evaluate.doctor.Suggestion;
import k210studio.ir.project.Project;

/**
 * The Evaluate window's logic, usable without a window: a dataset folder (remembered between sessions), the K210
 * model (the project compiled in memory for V3 or V4, calibrated on the dataset as {@code k210 eval} does, or a given
 * .kmodel), a run on a background thread with progress, time left and Cancel, then the figures, per-class accuracy,
 * the K210 confusion matrix and the worst images, each of which opens in the Simulate view. Properties change on the
 * UI thread only ({@code ui} is {@code Platform::runLater} in the studio, a direct executor in tests). Every failure
 * becomes the {@link #errorProperty() error} line naming the cause and the fix, never an exception.
 */
public final class EvaluateViewModel {
    /** Which K210 model is evaluated. */
    public enum Source {
        V3("V3 (nncase 0.1), compiled from the project"), V4("V4 (nncase 0.2), compiled from the project"), KMODEL("a .kmodel file");

        private final String title;

        Source(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** What the Simulate view is asked to show for a worst image: the picture, and the kmodel when one was evaluated. */
    public record SimulateRequest(Path image, Source source, Path kmodel) {
    }

    private final Supplier<Project> project;
    private final Executor ui;
    private final Path memory;
    private final ObjectProperty<Path> dataset = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("Choose a folder: one sub-folder of images per class, "
            + "VOC .xml or YOLO .txt boxes beside the images, or just images (agreement only).");
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(Source.V3);
    private final ObjectProperty<Path> kmodel = new SimpleObjectProperty<>();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<EvalReport> report = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<EvalFigures> figures = new ReadOnlyObjectWrapper<>(EvalFigures.EMPTY);
    private final ObservableList<EvalFigures.Worst> worst = FXCollections.observableArrayList();
    private final BooleanProperty doctor = new SimpleBooleanProperty(false);
    private final ReadOnlyObjectWrapper<DoctorReport> doctorReport = new ReadOnlyObjectWrapper<>();
    private final ObservableList<RankedLayer> ranking = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper doctorText = new ReadOnlyStringWrapper("");
    private K210Build ranBuild;
    private volatile EvalCancel cancel;
    private Consumer<SimulateRequest> simulate = r -> { };
    private Source ranSource;
    private Path ranKmodel;

    /**
     * @param memory a file that remembers the last dataset folder between sessions, or null
     */
    public EvaluateViewModel(Supplier<Project> project, Executor ui, Path memory) {
        this.project = project;
        this.ui = ui;
        this.memory = memory;
        followProjectTarget();
        Path last = remembered();
        if (last != null) {
            chooseDataset(last);
        }
    }

    public ObjectProperty<Path> datasetProperty() {
        return dataset;
    }

    /** The dataset's layout and image count, or why it cannot be used. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ObjectProperty<Source> sourceProperty() {
        return source;
    }

    /** The .kmodel evaluated when the source is {@link Source#KMODEL}. */
    public ObjectProperty<Path> kmodelProperty() {
        return kmodel;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** 0…1 of the images, negative while compiling (indeterminate). */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** "37/110 images (33 %), 0:12 left". */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the last run could not start or failed, and what to do about it; empty when all went well. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The last run's report (a cancelled run's counts the images done), null before the first. */
    public ReadOnlyObjectProperty<EvalReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    /** The figures of the last report, as the window shows them. */
    public ReadOnlyObjectProperty<EvalFigures> figuresProperty() {
        return figures.getReadOnlyProperty();
    }

    /** The images on which the K210 departs most from float, worst first. */
    public ObservableList<EvalFigures.Worst> worst() {
        return worst;
    }

    /** Run the quantization doctor after the evaluation of a model compiled from the project (a classifier). */
    public BooleanProperty doctorProperty() {
        return doctor;
    }

    /** The last run's doctor report, null when the doctor did not run. */
    public ReadOnlyObjectProperty<DoctorReport> doctorReportProperty() {
        return doctorReport.getReadOnlyProperty();
    }

    /** The doctor's layers, the one costing most agreement first, each with its suggestion. */
    public ObservableList<RankedLayer> ranking() {
        return ranking;
    }

    /** What the doctor found or what applying a suggestion did ("… agreement 42.00 % → 100.00 %"). */
    public ReadOnlyStringProperty doctorTextProperty() {
        return doctorText.getReadOnlyProperty();
    }

    /**
     * Re-runs the evaluation (and the doctor) with a ranked layer's suggestion applied to the last build; returns
     * null, or why it cannot (also shown as the error).
     */
    public String apply(RankedLayer layer) {
        String why = running.get() ? "an evaluation is already running"
                : layer == null || !layer.suggestion().applicable() ? "this layer has no suggestion to apply"
                : ranBuild == null || report.get() == null || report.get().classifier() == null
                ? "run the doctor on a model compiled from the project first" : null;
        if (why != null) {
            error.set(why);
            return why;
        }
        double before = report.get().classifier().agreement();
        return launch(layer.suggestion().apply(ranBuild), layer.suggestion(), before);
    }

    /** Where {@link #openInSimulate} sends an image (the studio opens its Simulate window on it). */
    public void setSimulateHandler(Consumer<SimulateRequest> handler) {
        simulate = handler == null ? r -> { } : handler;
    }

    /** The folder the dataset chooser starts in: the last dataset's. */
    public Path initialFolder() {
        Path d = dataset.get();
        return d != null && Files.isDirectory(d) ? d : remembered();
    }

    /** Reads a dataset folder (remembering it) and shows what it holds; returns null, or why it cannot be used. */
    public String chooseDataset(Path dir) {
        dataset.set(dir);
        remember(dir);
        try {
            EvalDataset ds = EvalSetup.of(project.get()).dataset(dir);
            long labelled = ds.images().stream().filter(i -> i.label() >= 0 || i.boxes() != null).count();
            summary.set(ds.images().size() + " images, " + ds.layout().title()
                    + (ds.layout() == EvalDataset.Layout.CLASS_FOLDERS ? " (" + ds.classes().size() + " classes)" : "")
                    + (labelled < ds.images().size() && ds.layout() != EvalDataset.Layout.UNLABELLED ? ", " + labelled + " labelled" : "")
                    + (ds.warnings().isEmpty() ? "" : "; " + String.join("; ", ds.warnings())));
            return null;
        } catch (EvaluateException e) {
            summary.set(e.getMessage());
            return e.getMessage();
        }
    }

    /** Compiles for the project's target (V3 or V4) unless a .kmodel is chosen or a run is going. */
    public void followProjectTarget() {
        Project p = project.get();
        if (p != null && !running.get() && source.get() != Source.KMODEL) {
            source.set("V4".equalsIgnoreCase(p.settings().target()) ? Source.V4 : Source.V3);
        }
    }

    /** The .kmodel to evaluate (selects the kmodel source). */
    public void chooseKmodel(Path file) {
        kmodel.set(file);
        source.set(Source.KMODEL);
    }

    /** Starts a run off the UI thread; returns null, or why it cannot start (also shown as the error). */
    public String start() {
        if (running.get()) {
            return "an evaluation is already running";
        }
        String why = null;
        Project p = project.get();
        if (dataset.get() == null) {
            why = "choose a dataset folder first (Choose dataset folder…)";
        } else if (p == null) {
            why = "open a project first: the float side of the evaluation is the project's network";
        } else if (source.get() == Source.KMODEL && kmodel.get() == null) {
            why = "choose the .kmodel to evaluate, or pick V3 or V4 to compile the project";
        }
        if (why != null) {
            error.set(why);
            return why;
        }
        return launch(null, null, Double.NaN);
    }

    private String launch(K210Build build, Suggestion applied, double before) {
        Project p = project.get();
        Project frozen = new Project(p.graph().copy(), p.settings());
        Path dir = dataset.get();
        Source src = build == null ? source.get() : ranSource;
        Path km = kmodel.get();
        boolean diagnose = doctor.get() || build != null;
        EvalCancel token = new EvalCancel();
        cancel = token;
        error.set("");
        running.set(true);
        progress.set(-1);
        progressText.set("");
        status.set("Reading the dataset…");
        Thread t = new Thread(() -> run(frozen, dir, new Run(src, km, build, diagnose, applied, before), token), "k210-evaluate");
        t.setDaemon(true);
        t.start();
        return null;
    }

    /** Stops after the images being evaluated; the figures of the images done are shown. */
    public void cancel() {
        EvalCancel c = cancel;
        if (running.get() && c != null && c.cancel()) {
            status.set("Cancelling after the images in progress…");
        }
    }

    /** Opens a worst image in the Simulate view (with the kmodel that was evaluated, if it was a file). */
    public void openInSimulate(EvalFigures.Worst w) {
        if (w != null) {
            simulate.accept(new SimulateRequest(w.file(), ranSource, ranSource == Source.KMODEL ? ranKmodel : null));
        }
    }

    /** What a run evaluates: a source, or a build the doctor suggested (then {@code applied} and the agreement before). */
    private record Run(Source src, Path km, K210Build build, boolean doctor, Suggestion applied, double before) {
    }

    private void run(Project p, Path dir, Run run, EvalCancel token) {
        Source src = run.src();
        Path km = run.km();
        try {
            EvalSetup setup = EvalSetup.of(p);
            EvalDataset ds = setup.dataset(dir);
            ui.execute(() -> status.set(src == Source.KMODEL ? "Reading " + km.getFileName() + "…"
                    : "Compiling for " + src.name() + (run.applied() != null ? " with the doctor's suggestion…"
                    : " (calibrated on " + EvalSetup.calibrationCount(ds) + " dataset images)…")));
            EvalSetup.Model m = run.build() != null ? setup.model(run.build()) : setup.model(src, km, ds);
            if (token.isCancelled()) {
                ui.execute(() -> end("Cancelled before the first image.", null, src, km));
                return;
            }
            EvalProgress shown = new EvalProgress() {
                @Override
                public void phase(String name) {
                    ui.execute(() -> status.set(name.startsWith("evaluating on ") ? "Evaluating on " + name.replace("evaluating on ", "") + "…"
                            : "Quantization doctor: per-layer error and one-layer sensitivity…"));
                }

                @Override
                public void images(int done, int total, double eta) {
                    ui.execute(() -> {
                        progress.set(total == 0 ? 1 : (double) done / total);
                        progressText.set(EvalProgress.text(done, total, eta));
                    });
                }
            };
            EvalReport r = Evaluator.evaluate(p.graph(), setup.input(), m.kmodel(), m.version(), ds, setup.decoding(), 0, shown, token);
            DoctorReport d = run.doctor() && m.compiled() != null && r.classifier() != null && !r.cancelled()
                    ? QuantDoctor.diagnose(setup.input(), m.build(), m.compiled(), ds, 0, shown, token) : null;
            String what = (r.cancelled() ? "Cancelled: " + r.evaluated() + " of " + r.total() + " images evaluated (the figures count those)."
                    : "Done: " + r.evaluated() + " images, float vs K210 " + r.target() + ".");
            String doc = DoctorRows.summary(d, run.applied(), run.before(), r);
            ui.execute(() -> {
                end(what, r, src, km);
                ranBuild = m.build();
                doctorReport.set(d);
                ranking.setAll(d == null ? java.util.List.of() : d.ranking());
                doctorText.set(doc);
            });
        } catch (EvaluateException e) {
            ui.execute(() -> fail(e.getMessage()));
        } catch (RuntimeException e) {
            ui.execute(() -> fail((e.getMessage() == null ? e.toString() : e.getMessage())
                    + " — this is a bug in the studio's evaluator; the report on the command line is `k210 eval`"));
        }
    }

    private void end(String what, EvalReport r, Source src, Path km) {
        if (r != null) {
            report.set(r);
            EvalFigures f = EvalFigures.of(r);
            figures.set(f);
            worst.setAll(f.worst());
            ranSource = src;
            ranKmodel = km;
        }
        status.set(what);
        running.set(false);
    }

    private void fail(String message) {
        error.set("Cannot evaluate: " + message);
        status.set("Failed.");
        progress.set(0);
        running.set(false);
    }

    private Path remembered() {
        if (memory == null || !Files.isRegularFile(memory)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(memory);
            Path p = lines.isEmpty() ? null : Path.of(lines.get(0).trim());
            return p != null && Files.isDirectory(p) ? p : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void remember(Path dir) {
        if (memory == null || dir == null) {
            return;
        }
        try {
            Files.createDirectories(memory.toAbsolutePath().getParent());
            Files.writeString(memory, dir.toAbsolutePath() + "\n");
        } catch (IOException e) {
            // remembering the folder is a convenience only
        }
    }
}
