package k210studio.app.train;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import k210studio.app.model.EditorModel;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.train.Augmentation;
import k210studio.converter.train.Backbones;
import k210studio.converter.train.DatasetSplit;
import k210studio.converter.train.EpochStats;
import k210studio.converter.train.ImageFolder;
import k210studio.converter.evaluate.K210Check;
import k210studio.converter.train.Optimizer;
import k210studio.converter.train.TrainOptions;
import k210studio.converter.train.TrainedProject;
import k210studio.converter.train.Trainer;
import k210studio.converter.train.TrainingException;
import k210studio.converter.train.TrainingResult;
import k210studio.converter.train.TrainingSetup;
import k210studio.ir.project.Project;
import k210studio.ir.rules.Target;

/**
 * The Train window's logic, usable without a window: the dataset and its summary, the settings, a run on a
 * background thread (progress, the epochs as they finish, Stop), an on-demand K210 check, and at the end the
 * best weights put into the editor's project as one undoable edit. Properties change on the UI thread only
 * ({@code ui} is {@code Platform::runLater} in the studio, a direct executor in tests).
 */
public final class TrainViewModel {
    /** What trains. */
    public enum Source {
        /** The project's own network, every layer. */
        DESIGN,
        /** The bundled MobileNet v1 0.25 with a new head for the dataset's classes (the project's network is replaced). */
        BACKBONE
    }

    private final EditorModel editor;
    private final Executor ui;
    private final ObjectProperty<Path> dataset = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("Choose a folder with one sub-folder of images per class.");
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(Source.BACKBONE);
    private final IntegerProperty fineTuneBlocks = new SimpleIntegerProperty(0);
    private final IntegerProperty epochs = new SimpleIntegerProperty(10);
    private final DoubleProperty learningRate = new SimpleDoubleProperty(1e-3);
    private final ObjectProperty<Optimizer.Kind> optimizer = new SimpleObjectProperty<>(Optimizer.Kind.ADAM);
    private final IntegerProperty batchSize = new SimpleIntegerProperty(16);
    private final DoubleProperty valSplit = new SimpleDoubleProperty(0.2);
    private final BooleanProperty augment = new SimpleBooleanProperty(true);
    private final BooleanProperty k210EachEpoch = new SimpleBooleanProperty(true);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper k210Text = new ReadOnlyStringWrapper("K210: not checked yet");
    private final ObservableList<EpochStats> history = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<TrainingResult> result = new ReadOnlyObjectWrapper<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean k210Requested = new AtomicBoolean();
    private ImageFolder folder;

    public TrainViewModel(EditorModel editor, Executor ui) {
        this.editor = editor;
        this.ui = ui;
    }

    public ObjectProperty<Path> datasetProperty() {
        return dataset;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ObjectProperty<Source> sourceProperty() {
        return source;
    }

    public IntegerProperty fineTuneBlocksProperty() {
        return fineTuneBlocks;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public DoubleProperty learningRateProperty() {
        return learningRate;
    }

    public ObjectProperty<Optimizer.Kind> optimizerProperty() {
        return optimizer;
    }

    public IntegerProperty batchSizeProperty() {
        return batchSize;
    }

    public DoubleProperty valSplitProperty() {
        return valSplit;
    }

    public BooleanProperty augmentProperty() {
        return augment;
    }

    public BooleanProperty k210EachEpochProperty() {
        return k210EachEpoch;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** 0…1 of the current phase (feature extraction, then each epoch's batches). */
    public DoubleProperty progressProperty() {
        return progress;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty k210TextProperty() {
        return k210Text.getReadOnlyProperty();
    }

    /** The finished epochs of the current run, in order. */
    public ObservableList<EpochStats> history() {
        return history;
    }

    /** The last run's result (null before the first run ends). */
    public ReadOnlyObjectProperty<TrainingResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Reads a dataset folder and shows its classes and counts; returns null, or why it cannot be used. */
    public String chooseDataset(Path dir) {
        dataset.set(dir);
        try {
            folder = ImageFolder.scan(dir);
            summary.set(folder.summary());
            return null;
        } catch (TrainingException e) {
            folder = null;
            summary.set(e.getMessage());
            return e.getMessage();
        }
    }

    /** Starts a run (off the UI thread); returns null, or why it cannot start. */
    public String start() {
        if (running.get()) {
            return "a run is already going";
        }
        if (folder == null) {
            String why = "choose a dataset folder first";
            status.set(why);
            return why;
        }
        Project project = editor.project();
        DatasetSplit data;
        TrainingSetup setup;
        TrainOptions opt;
        try {
            data = DatasetSplit.of(folder, valSplit.get(), 1);
            setup = source.get() == Source.BACKBONE ? Backbones.transfer(Backbones.MOBILENET_025, folder.classes().size(), fineTuneBlocks.get(), 1)
                    : TrainingSetup.wholeNetwork(project);
            QuantRules target = editor.target() == Target.V4 ? QuantRules.V4 : QuantRules.V3;
            opt = new TrainOptions(epochs.get(), batchSize.get(), (float) learningRate.get(), optimizer.get(), 1,
                    augment.get() ? Augmentation.standard() : Augmentation.none(), 4, 512L << 20, k210EachEpoch.get() ? 1 : 0, target);
        } catch (TrainingException | IllegalArgumentException e) {
            status.set(e.getMessage());
            return e.getMessage();
        }
        history.clear();
        result.set(null);
        stop.set(false);
        k210Requested.set(false);
        running.set(true);
        progress.set(0);
        status.set("Training " + setup.description() + " on " + data.train().size() + " images, validating on " + data.validation().size());
        Thread t = new Thread(() -> run(project, setup, data, opt), "k210-train");
        t.setDaemon(true);
        t.start();
        return null;
    }

    /** Stops after the current batch; the best weights so far still land in the project. */
    public void stop() {
        if (running.get()) {
            stop.set(true);
            status.set("Stopping after this batch…");
        }
    }

    /** Asks for a K210 check at the end of the current epoch (during a run). */
    public void checkK210Now() {
        if (running.get()) {
            k210Requested.set(true);
            k210Text.set("K210: check after this epoch…");
        }
    }

    private void run(Project project, TrainingSetup setup, DatasetSplit data, TrainOptions opt) {
        try {
            TrainingResult r = Trainer.train(setup, data, opt, new Trainer.Listener() {
                @Override
                public void progress(String phase, int done, int total) {
                    ui.execute(() -> {
                        progress.set(total <= 0 ? -1 : (double) done / total);
                        if (!stop.get()) {
                            status.set(phase + " " + done + "/" + total);
                        }
                    });
                }

                @Override
                public boolean wantsK210() {
                    return k210Requested.getAndSet(false);
                }

                @Override
                public void epoch(EpochStats s) {
                    ui.execute(() -> {
                        history.add(s);
                        if (s.k210() != null) {
                            k210Text.set(k210Line("epoch " + s.epoch(), s.k210()));
                        } else if (s.k210Error() != null) {
                            k210Text.set("K210: " + s.k210Error());
                        }
                    });
                }
            }, stop::get);
            Project trained = TrainedProject.of(project, setup, r, data);
            ui.execute(() -> finish(project, trained, r));
        } catch (TrainingException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            ui.execute(() -> {
                running.set(false);
                status.set("Training failed: " + msg);
            });
        }
    }

    private void finish(Project before, Project trained, TrainingResult r) {
        progress.set(1);
        result.set(r);
        if (r.finalK210() != null) {
            k210Text.set(k210Line("kept weights", r.finalK210()));
        } else if (r.k210Error() != null) {
            k210Text.set("K210: " + r.k210Error());
        }
        EpochStats best = r.best();
        String what = best == null ? "Train (no epoch finished)"
                : String.format(Locale.ROOT, "Train: epoch %d of %d kept, val acc %.1f %%", best.epoch(), r.history().size(), 100 * best.valAccuracy());
        String refused = editor.execute(new TrainedNetworkCommand(trained.graph(), editor.settings(),
                trained.settings().withTarget(editor.target().name()), editor::setSettings, what));
        status.set(refused != null ? "The trained weights could not be put into the project: " + refused
                : (r.stopped() ? "Stopped. " : "Done. ") + what + " — in the project (Undo restores the previous weights)");
        // last: whoever waits for the run to end sees the weights in the project and the final status
        running.set(false);
    }

    static String k210Line(String when, K210Check k) {
        return String.format(Locale.ROOT, "K210 (%s, %d images): %.1f %% correct, agrees with float on %.1f %%", when, k.images(),
                100 * k.accuracy(), 100 * k.agreement());
    }
}
