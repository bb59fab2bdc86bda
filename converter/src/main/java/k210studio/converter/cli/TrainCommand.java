package k210studio.converter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import k210studio.converter.train.Augmentation;
import k210studio.converter.train.Backbones;
import k210studio.converter.train.DatasetSplit;
import k210studio.converter.train.EpochStats;
import k210studio.converter.train.ImageFolder;
import k210studio.converter.train.Optimizer;
import k210studio.converter.train.TrainOptions;
import k210studio.converter.train.TrainedProject;
import k210studio.converter.train.Trainer;
import k210studio.converter.train.TrainingException;
import k210studio.converter.train.TrainingResult;
import k210studio.converter.train.TrainingSetup;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.project.ProjectFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code k210 train MODEL|--backbone mobilenet-0.25 --dataset DIR -o out.k210proj [...]}: trains a classifier on a
 * folder of class sub-folders, prints loss and accuracy per epoch (train and validation) and the K210 accuracy of the
 * current weights, keeps the best weights and writes the project. Ctrl+C stops after the current batch and still
 * writes the best weights so far. Exit 0 written, 2 bad input (dataset layout, network, options).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier on a folder with one sub-folder of images per class, offline, checking the",
            "K210 accuracy (compiled in memory, run on the simulator) as it goes. Exit code: 0 written, 2 bad input."})
public final class TrainCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "the design to train: a .k210proj project (or a Keras .h5 / .tflite model); or use --backbone")
    Path model;

    @Option(names = "--backbone", paramLabel = "NAME", description = "transfer learning on a bundled backbone: mobilenet-0.25")
    String backbone;

    @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "folder of class sub-folders of images")
    Path dataset;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.k210proj", description = "the trained project to write")
    Path output;

    @Option(names = "--epochs", defaultValue = "10", description = "passes over the training images (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.001", description = "learning rate (default ${DEFAULT-VALUE})")
    float lr;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|sgd", description = "Adam, or SGD with momentum 0.9")
    String optimizer;

    @Option(names = "--batch", defaultValue = "16", description = "images per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--val-split", defaultValue = "0.2", description = "fraction of each class kept for validation (default ${DEFAULT-VALUE})")
    double valSplit;

    @Option(names = "--seed", defaultValue = "1", description = "split, augmentation, shuffling and new weights follow it")
    long seed;

    @Option(names = "--fine-tune-blocks", defaultValue = "0", paramLabel = "K",
            description = "with --backbone: also train the last K of MobileNet's 13 blocks (default 0: frozen backbone)")
    int fineTuneBlocks;

    @Option(names = "--freeze-until", paramLabel = "LAYER", description = "with MODEL: keep this layer and all before it frozen")
    String freezeUntil;

    @Option(names = "--no-augment", description = "no random crops, flips or brightness changes")
    boolean noAugment;

    @Option(names = "--mean", paramLabel = "M", description = "for a .h5/.tflite MODEL: input mean in pixel units (default 0)")
    Float mean;

    @Option(names = "--std", paramLabel = "S", description = "for a .h5/.tflite MODEL: input std in pixel units (default 255)")
    Float std;

    @Option(names = "--k210-every", defaultValue = "1", paramLabel = "N",
            description = "K210 accuracy every N epochs (0: only for the final weights; default ${DEFAULT-VALUE})")
    int k210Every;

    @Option(names = "--no-k210", description = "no K210 check at all")
    boolean noK210;

    @Option(names = "--target", defaultValue = "v3", paramLabel = "v3|v4", description = "kmodel format of the K210 check (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--cache-mb", defaultValue = "512", description = "memory for cached frozen features (default ${DEFAULT-VALUE} MiB)")
    long cacheMb;

    @Option(names = "--json", description = "print the run as one JSON object")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        TrainingSetup setup;
        DatasetSplit data;
        TrainOptions opt;
        Project base = null;
        try {
            if ((model == null) == (backbone == null)) {
                throw new TrainingException("give either a MODEL to train or --backbone " + Backbones.MOBILENET_025);
            }
            if (backbone != null && freezeUntil != null) {
                throw new TrainingException("--freeze-until goes with a MODEL; with --backbone use --fine-tune-blocks");
            }
            if (model != null && fineTuneBlocks != 0) {
                throw new TrainingException("--fine-tune-blocks goes with --backbone; with a MODEL use --freeze-until LAYER");
            }
            ImageFolder folder = ImageFolder.scan(dataset);
            data = DatasetSplit.of(folder, valSplit, seed);
            if (backbone != null) {
                setup = Backbones.transfer(backbone, folder.classes().size(), fineTuneBlocks, seed);
            } else {
                base = loadModel();
                setup = freezeUntil == null ? TrainingSetup.wholeNetwork(base) : TrainingSetup.frozenUntil(base, freezeUntil);
            }
            opt = new TrainOptions(epochs, batch, lr, Optimizer.Kind.parse(optimizer), seed,
                    noAugment ? Augmentation.none() : Augmentation.standard(), 4, cacheMb << 20, k210Every,
                    noK210 ? null : ModelOptions.target(target));
            if (!json) {
                out.println("dataset: " + folder.summary());
                out.printf(Locale.ROOT, "split: %d training, %d validation images (seed %d)%n", data.train().size(), data.validation().size(), seed);
                out.println("network: " + setup.description());
                out.flush();
            }
            for (int[] row : data.counts()) {
                if (row[0] == 0) {
                    throw new TrainingException("a class has no training image after the split: add images or lower --val-split");
                }
            }
        } catch (TrainingException | IllegalArgumentException | LintCommand.LintInputException e) {
            return badInput(e.getMessage());
        }
        AtomicBoolean cancel = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl+C: stop after the current batch, let the best weights be written and reported, then let the JVM end
        Thread hook = new Thread(() -> {
            cancel.set(true);
            try {
                finished.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "k210-train-stop");
        boolean hooked = addHook(hook);
        try {
            TrainingResult r = Trainer.train(setup, data, opt, new Trainer.Listener() {
                @Override
                public void epoch(EpochStats s) {
                    if (!json) {
                        out.println(TrainReport.epochLine(s, epochs));
                        out.flush();
                    }
                }
            }, cancel::get);
            ProjectFile.save(TrainedProject.of(base, setup, r, data), output);
            if (json) {
                out.println(TrainReport.json(setup, data, r, output));
            } else {
                TrainReport.summary(out, r, output);
            }
            out.flush();
            return 0;
        } catch (TrainingException | ProjectFileException e) {
            return badInput(e.getMessage());
        } finally {
            finished.countDown();
            if (hooked) {
                removeHook(hook);
            }
        }
    }

    private Project loadModel() throws LintCommand.LintInputException, TrainingException {
        String n = model.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(ProjectFile.EXTENSION)) {
            try {
                return ProjectFile.load(model);
            } catch (ProjectFileException e) {
                throw new TrainingException(e.getMessage(), e);
            }
        }
        Project p = Project.of(LintCommand.load(model).graph());
        float[] pre = ModelOptions.preprocessing(model, mean, std, err());
        return p.withSettings(p.settings().withPreprocessing(new Preprocessing(java.util.List.of(pre[0]), java.util.List.of(pre[1]), ChannelOrder.RGB, 1f)));
    }

    private static boolean addHook(Thread t) {
        try {
            Runtime.getRuntime().addShutdownHook(t);
            return true;
        } catch (IllegalStateException | SecurityException e) {
            return false;
        }
    }

    private static void removeHook(Thread t) {
        try {
            Runtime.getRuntime().removeShutdownHook(t);
        } catch (IllegalStateException | SecurityException e) {
            // shutting down: the hook runs and waits for this thread
        }
    }
}
