package k210studio.converter.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.train.BoardInput;
import k210studio.ir.graph.Graph;

/**
 * The K210 check of a classifier while it trains (the Train window, {@code k210 train}): the weights compiled in
 * memory, calibrated on a few training images, and evaluated by the {@link Evaluator} on labelled images — the same
 * code, figures and board input as {@code k210 eval}.
 *
 * @param figures     the evaluator's classifier figures on the check images
 * @param kmodelBytes size of the compiled kmodel
 * @param cancelled   the check was cancelled before every image was done (the figures count the images done)
 */
public record K210Check(ClassifierFigures figures, int kmodelBytes, boolean cancelled) {

    /** Calibration images a check takes from the training images. */
    public static final int CALIBRATION_IMAGES = 16;

    /** One labelled image. */
    public record Labelled(Path file, int label) {
    }

    /**
     * @param calibration training images, the first {@link #CALIBRATION_IMAGES} calibrate
     * @param images      the images to check on, with their labels (class indices of the model's output)
     * @param classes     the class names
     * @param cancel      polled before each image
     * @throws EvaluateException when the network does not compile (the message names the layer) or the kmodel does not
     *                           run
     */
    public static K210Check measure(Graph graph, BoardInput in, QuantRules target, List<Path> calibration, List<Labelled> images,
                                    List<String> classes, BooleanSupplier cancel) throws EvaluateException {
        K210Build build = new K210Build(CompileOptions.defaults(target).withPreprocessing(in.mean(), in.std()),
                calibration.subList(0, Math.min(CALIBRATION_IMAGES, calibration.size())));
        K210Compiler.Result compiled = build.compile(graph, in, null);
        List<EvalImage> ims = new ArrayList<>();
        for (Labelled l : images) {
            ims.add(new EvalImage(l.file(), l.file().getFileName().toString(), l.label(), null));
        }
        Path root = images.isEmpty() ? Path.of(".") : images.get(0).file().getParent();
        EvalDataset ds = new EvalDataset(root, EvalDataset.Layout.CLASS_FOLDERS, classes, ims, List.of());
        EvalReport r = Evaluator.evaluate(graph, in, compiled.model(), target == QuantRules.V3 ? "v3" : "v4", ds,
                OutputDecoding.classifier(), 0, null, cancel);
        return new K210Check(r.classifier(), compiled.kmodel().length, r.cancelled());
    }

    /** Images evaluated. */
    public int images() {
        return figures.images();
    }

    /** K210 top-1 equals the label. */
    public int k210Correct() {
        return figures.k210Top1();
    }

    /** Float top-1 equals the label. */
    public int floatCorrect() {
        return figures.floatTop1();
    }

    /** K210 top-1 equals float top-1. */
    public int agreeing() {
        return figures.agreeing();
    }

    public double accuracy() {
        return figures.k210Top1Accuracy();
    }

    public double floatAccuracy() {
        return figures.floatTop1Accuracy();
    }

    /** Fraction of images on which the K210 and the float network give the same class. */
    public double agreement() {
        return figures.agreement();
    }
}
