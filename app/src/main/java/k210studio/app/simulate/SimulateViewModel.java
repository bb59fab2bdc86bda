package k210studio.app.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import k210studio.app.work.Job;
import k210studio.app.work.JobListener;
import k210studio.app.work.Jobs;
import k210studio.assets.Assets;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.eval.EvaluationException;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.rules.Target;
import k210studio.ir.shape.ShapeInference;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.post.Detection;

/**
 * The Simulate window's state and commands, without a window: the picked image (bundled, a file, a folder to step
 * through, or dropped), what is simulated (the editor's project, float vs K210, or a kmodel on its own), the output
 * settings, the run (compiled in memory and cached until the network changes; a new run cancels the old), and what
 * the panes show — answers, the layer table, the selected layer's maps and the status line. The panes only bind.
 */
public final class SimulateViewModel {
    public static final String PROJECT_LABELS = "project labels";
    public static final String NO_LABELS = "no labels";
    public static final List<String> IMAGE_EXTENSIONS = ImageSource.EXTENSIONS;

    private final Supplier<Project> projectSource;
    private final Jobs jobs;
    private BiConsumer<String, String> errorHandler = (t, m) -> { };
    private Supplier<String> documentName;

    private final ImageSource images = new ImageSource((t, m) -> errorHandler.accept(t, m));
    private final ObjectProperty<Target> target = new SimpleObjectProperty<>(Target.V3);
    private final ReadOnlyBooleanWrapper targetLocked = new ReadOnlyBooleanWrapper(false);
    private final ObjectProperty<PostProcessing.Kind> kind = new SimpleObjectProperty<>(PostProcessing.Kind.CLASSIFIER);
    private final StringProperty anchors = new SimpleStringProperty(
            new PostProcessing(PostProcessing.Kind.YOLO2, 5, null, 0.5f, 0.3f, null).anchorsText());
    private final StringProperty threshold = new SimpleStringProperty("0.5");
    private final StringProperty nms = new SimpleStringProperty("0.3");
    private final ObservableList<String> labelChoices = FXCollections.observableArrayList();
    private final ObjectProperty<String> labelsChoice = new SimpleObjectProperty<>(PROJECT_LABELS);
    private final ReadOnlyStringWrapper mode = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper input = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Pick an image and press Run.");
    private final ReadOnlyObjectWrapper<SimulationResult> result = new ReadOnlyObjectWrapper<>();
    private final ObservableList<LayerRow> rows = FXCollections.observableArrayList();
    private final ObjectProperty<LayerRow> selectedRow = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<LayerMaps> maps = new ReadOnlyObjectWrapper<>(LayerMaps.none());

    private Kmodel kmodel;
    private String kmodelName;
    private final CompileCache cache = new CompileCache();
    private Job job;

    /**
     * @param projectSource the project to simulate (the editor's current one); may return null when there is none
     * @param jobs          where runs execute (background threads in the studio, inline in tests)
     */
    public SimulateViewModel(Supplier<Project> projectSource, Jobs jobs) {
        this.projectSource = projectSource;
        this.jobs = jobs;
        labelChoices.addAll(PROJECT_LABELS, NO_LABELS);
        labelChoices.addAll(Assets.labelFiles());
        // a new picture makes every answer, table row and map of the old one stale
        images.imageProperty().addListener((o, a, b) -> {
            if (a != null && b != a) {
                clearResult("Press Run to simulate " + images.current() + ".");
            }
        });
        selectedRow.addListener((o, a, b) -> {
            maps.set(LayerMaps.of(b, kmodel != null || result.get() != null));
        });
        useProjectQuietly();
        List<String> imgs = Assets.images();
        String first = imgs.contains("images/face.jpg") ? "images/face.jpg" : imgs.isEmpty() ? null : imgs.get(0);
        Project p = projectSource.get();
        if (p != null && !p.settings().sampleImages().isEmpty() && Assets.exists(p.settings().sampleImages().get(0))) {
            first = p.settings().sampleImages().get(0);
        }
        if (first != null) {
            images.select(first);
        }
    }

    /** The name the studio gives the editor's document (its file's name once saved); the project's name without one. */
    public void setDocumentName(Supplier<String> name) {
        documentName = name;
        if (kmodel == null) {
            useProjectQuietly();
        }
    }

    /** Where errors go: a title and a message for the user. */
    public void setErrorHandler(BiConsumer<String, String> handler) {
        this.errorHandler = handler;
    }

    // ------------------------------------------------------------------ state the panes bind to

    /** Where the picture comes from (chooser, file, folder). */
    public ImageSource images() {
        return images;
    }

    /** The picked image, or null. */
    public ReadOnlyObjectProperty<RgbImage> imageProperty() {
        return images.imageProperty();
    }

    public String currentImage() {
        return images.current();
    }

    /** "face.jpg  512×355". */
    public ReadOnlyStringProperty imageInfoProperty() {
        return images.infoProperty();
    }

    /** True while a folder is open (◀ ▶ step through it). */
    public ReadOnlyBooleanProperty folderOpenProperty() {
        return images.folderOpenProperty();
    }

    public ObjectProperty<Target> targetProperty() {
        return target;
    }

    /** True for a kmodel opened on its own (its version is fixed). */
    public ReadOnlyBooleanProperty targetLockedProperty() {
        return targetLocked.getReadOnlyProperty();
    }

    public ObjectProperty<PostProcessing.Kind> kindProperty() {
        return kind;
    }

    public StringProperty anchorsProperty() {
        return anchors;
    }

    public StringProperty thresholdProperty() {
        return threshold;
    }

    public StringProperty nmsProperty() {
        return nms;
    }

    public ObservableList<String> labelChoices() {
        return labelChoices;
    }

    public ObjectProperty<String> labelsChoiceProperty() {
        return labelsChoice;
    }

    /** How pixels become the model's input: the project's preprocessing, or what a kmodel takes. */
    public ReadOnlyStringProperty inputProperty() {
        return input.getReadOnlyProperty();
    }

    /** "Project: name" or "kmodel V3: file (n layers)". */
    public ReadOnlyStringProperty modeProperty() {
        return mode.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<SimulationResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The layer table's rows. */
    public ObservableList<LayerRow> rows() {
        return rows;
    }

    /** The row whose feature maps are shown. */
    public ObjectProperty<LayerRow> selectedRowProperty() {
        return selectedRow;
    }

    public ReadOnlyObjectProperty<LayerMaps> mapsProperty() {
        return maps.getReadOnlyProperty();
    }

    /** The K210 side's current boxes (what the picture shows). */
    public List<Detection> shownBoxes() {
        SimulationResult r = result.get();
        return r == null ? List.of() : r.k210Answer().boxes();
    }

    /** The float side's lines of the answers pane. */
    public List<AnswerLines.Line> floatLines() {
        SimulationResult r = result.get();
        return r == null ? List.of() : AnswerLines.of(r.floatAnswer(), kind.get());
    }

    /** The K210 side's lines of the answers pane. */
    public List<AnswerLines.Line> k210Lines() {
        SimulationResult r = result.get();
        return r == null ? List.of() : AnswerLines.of(r.k210Answer(), kind.get());
    }

    // ------------------------------------------------------------------ commands

    /** Simulate the editor's project (float vs K210); what was shown for another model is cleared. */
    public void useProject() {
        useProjectQuietly();
        cache.clear();
        clearResult("Press Run to simulate the project.");
        rows.clear();
    }

    /** Shows the project's preprocessing again (after it was changed in the editor or here). */
    public void refreshInput() {
        Project p = projectSource.get();
        if (kmodel == null) {
            input.set(p == null ? "" : "Input: " + ModelInputText.of(p));
        }
    }

    /** Forgets the shown result: answers, boxes, table values and maps belong to another image or model. */
    private void clearResult(String message) {
        if (job != null && job.isRunning()) {
            job.cancel();
        }
        result.set(null);
        selectedRow.set(null);
        maps.set(LayerMaps.none());
        rows.setAll(kmodel == null ? List.of() : layersOnly(kmodel));
        status.set(message);
    }

    private void useProjectQuietly() {
        kmodel = null;
        kmodelName = null;
        Project p = projectSource.get();
        targetLocked.set(false);
        if (p != null) {
            target.set(p.settings().target().equals(ProjectSettings.V4) ? Target.V4 : Target.V3);
            kind.set(vectorOutput(p.graph()) ? PostProcessing.Kind.CLASSIFIER : PostProcessing.Kind.NONE);
            mode.set("Project: " + (documentName != null ? documentName.get() : p.settings().name()));
            labelsChoice.set(PROJECT_LABELS);
            input.set("Input: " + ModelInputText.of(p));
        } else {
            input.set("");
            mode.set("No project");
        }
    }

    private static boolean vectorOutput(Graph g) {
        try {
            var out = ShapeInference.infer(g).shapes().get(g.outputIds().get(0));
            return out == null || out.rank() == 1;
        } catch (RuntimeException e) {
            return true; // leave the classifier guess
        }
    }

    /** Open a kmodel V3/V4 and run it on the images (no float side). */
    public void openKmodel(Path file) {
        try {
            Kmodel m = KmodelFiles.read(file);
            kmodel = m;
            kmodelName = file.getFileName().toString();
            targetLocked.set(true);
            labelsChoice.set(NO_LABELS);
            PostProcessing pp = PostProcessing.guess(m, List.of());
            kind.set(pp.kind());
            if (pp.kind() == PostProcessing.Kind.ULTRA_FACE) {
                threshold.set("0.7");
            }
            mode.set("kmodel V" + m.version() + ": " + kmodelName + " (" + m.layerCount() + " layers)");
            input.set("Input: the kmodel's uint8 pixels (its own preprocessing is inside)");
            clearResult("Opened " + kmodelName + ". Pick an image and press Run.");
        } catch (KmodelFormatException | IOException e) {
            errorHandler.accept("Cannot open " + file.getFileName(), e.getMessage());
        }
    }

    private static List<LayerRow> layersOnly(Kmodel m) {
        List<LayerRow> out = new ArrayList<>();
        for (int i = 0; i < m.layerCount(); i++) {
            out.add(new LayerRow(i, m.layerTypeName(i), "", null, "", Double.NaN, Double.NaN, 0, null, null));
        }
        return out;
    }

    /** Shows a bundled image ("images/face.jpg") or an image file path. */
    public void selectImage(String assetOrPath) {
        images.select(assetOrPath);
    }

    /** Step through the images of a folder (sorted by name). */
    public void openFolder(Path dir) {
        images.openFolder(dir);
    }

    /** The next (+1) or previous (−1) image of the open folder, run again if there was a result. */
    public void step(int d) {
        boolean ran = result.get() != null;
        if (images.step(d) && ran) {
            run();
        }
    }

    /** A file dropped on the picture: a folder, a kmodel or an image. */
    public void dropped(Path p) {
        if (Files.isDirectory(p)) {
            openFolder(p);
        } else if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".kmodel")) {
            openKmodel(p);
        } else {
            selectImage(p.toString());
        }
    }

    private List<String> labels(Project project) throws IOException {
        String l = labelsChoice.get();
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

    /** The post-processing the settings describe; bad numbers raise IllegalArgumentException naming the field. */
    public PostProcessing postProcessing(List<String> labels) {
        float t = number(threshold.get(), "threshold");
        float n = number(nms.get(), "NMS");
        float[] a = kind.get() == PostProcessing.Kind.YOLO2 ? PostProcessing.parseAnchors(anchors.get()) : null;
        return new PostProcessing(kind.get(), 5, a, t, n, labels);
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
        RgbImage img = images.imageProperty().get();
        if (img == null) {
            errorHandler.accept("No image", "Pick a sample image, open a file or a folder first.");
            return;
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
        if (job != null && job.isRunning()) {
            job.cancel();
        }
        final Kmodel km = kmodel;
        final String name = images.current();
        final String kmName = kmodelName;
        final Target t = target.get();
        final Project frozen = project == null ? null : new Project(project.graph().copy(), project.settings());
        refreshInput();
        final CompileCache.Entry have = frozen == null ? null : cache.lookup(frozen, t);
        running.set(true);
        job = jobs.start("simulate", progress -> {
            if (km != null) {
                progress.message("Running " + kmName + " on kpu-sim…");
                return new Outcome(Simulator.runKmodel(km, name, img, pp), null);
            }
            CompileCache.Entry c = have;
            if (c == null) {
                progress.message("Compiling for " + t.label() + "…");
                K210Compiler.Result compiled = Simulator.compile(frozen, t, List.of(img), (phase, d, total) -> {
                    progress.checkCancelled();
                    progress.message("Compiling for " + t.label() + ": " + phase + (total > 1 ? " " + d + "/" + total : "") + "…");
                });
                c = new CompileCache.Entry(frozen, t, compiled);
            }
            progress.checkCancelled();
            progress.message("Running float and K210…");
            return new Outcome(Simulator.runProject(frozen, t, c.result(), name, img, pp), c);
        }, new JobListener<>() {
            @Override
            public void message(String text) {
                status.set(text);
            }

            @Override
            public void succeeded(Outcome o) {
                running.set(false);
                if (o.compiled() != null) {
                    cache.keep(o.compiled());
                }
                show(o.result());
            }

            @Override
            public void failed(Throwable ex) {
                running.set(false);
                status.set("Failed: " + messageOf(ex));
                errorHandler.accept(titleOf(ex), messageOf(ex));
            }

            @Override
            public void cancelled() {
                running.set(false);
                status.set("Cancelled.");
            }
        });
    }

    /** A finished run and the compile it used (kept for the next run while the network is unchanged). */
    private record Outcome(SimulationResult result, CompileCache.Entry compiled) {
    }

    /** Cancels a run in progress. */
    public void cancel() {
        if (job != null && job.isRunning()) {
            job.cancel();
        }
    }

    private void show(SimulationResult r) {
        result.set(r);
        rows.setAll(r.layers());
        status.set(summary(r));
    }

    /** The status line after a run. */
    static String summary(SimulationResult r) {
        long compared = r.layers().stream().filter(LayerRow::compared).count();
        String msg = String.format(Locale.ROOT, "%d layers, estimated %.2f ms on a K210 at 400 MHz", r.layers().size(), r.totalMillis());
        if (r.floatAnswer() != null) {
            msg += ", " + compared + " compared with float";
        }
        if (r.note() != null) {
            msg += " — " + r.note();
        }
        return msg;
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
}
