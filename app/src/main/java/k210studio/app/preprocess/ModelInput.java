package k210studio.app.preprocess;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import k210studio.assets.Assets;
import k210studio.converter.importing.ModelConventions;
import k210studio.converter.importing.PreprocessingPreset;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.TensorShape;

/**
 * How an imported model's input and classes end up in its project: what the file says (its
 * {@link ModelConventions}) goes in as it is; what it does not say is asked once ({@link #needsQuestion}), with the
 * usual presets and, for an ImageNet-sized output, the bundled ImageNet labels on offer.
 */
public final class ModelInput {
    /** The bundled label file of an ImageNet class count (1000, or 1001 with "background" first), or null. */
    public static String imagenetLabelFile(int classes) {
        return classes == 1000 ? "labels/imagenet_1000.txt" : classes == 1001 ? "labels/imagenet_1001_coral.txt" : null;
    }

    private ModelInput() {
    }

    /** True when the model takes one H×W×1 or H×W×3 image (the only input the studio's presets are for). */
    public static boolean takesImage(Graph g) {
        try {
            if (g.inputIds().size() != 1) {
                return false;
            }
            TensorShape s = ShapeInference.infer(g).shapes().get(g.inputIds().get(0));
            return s != null && s.isImage() && (s.c() == 1 || s.c() == 3);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** N when the first output is a vector of N values (a classifier's classes), else 0. */
    public static int classCount(Graph g) {
        try {
            TensorShape s = ShapeInference.infer(g).shapes().get(g.outputIds().get(0));
            return s != null && s.rank() == 1 ? s.dims()[0] : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** True when the import should ask: an image model whose preprocessing, or ImageNet-sized labels, the file does not give. */
    public static boolean needsQuestion(Graph g, ModelConventions c) {
        if (!takesImage(g)) {
            return false;
        }
        return !c.knowsPreprocessing() || (c.labels().isEmpty() && imagenetLabelFile(c.classes()) != null);
    }

    /** The project settings with what the file says. */
    public static ProjectSettings fromFile(ProjectSettings s, ModelConventions c) {
        ProjectSettings out = s;
        if (c.knowsPreprocessing()) {
            out = out.withPreprocessing(c.preprocessing());
        }
        if (!c.labels().isEmpty()) {
            out = out.withLabels(c.labels());
        }
        return out;
    }

    /** The project settings with the user's answer (preprocessing, and the bundled labels when accepted). */
    public static ProjectSettings withAnswer(ProjectSettings s, Answer a) {
        ProjectSettings out = s.withPreprocessing(a.preprocessing());
        if (!a.labels().isEmpty()) {
            out = out.withLabels(a.labels());
        }
        return out;
    }

    /** The bundled labels of a file name from {@link #imagenetLabelFile}. */
    public static List<String> bundledLabels(String asset) throws IOException {
        return Assets.lines(asset);
    }

    /** What the user chose: the preprocessing and the labels to use (empty: keep none). */
    public record Answer(Preprocessing preprocessing, List<String> labels) {
        public Answer {
            labels = List.copyOf(labels == null ? List.of() : labels);
        }
    }

    /**
     * One line for Simulate, the export wizard and the status bar: "[-1, 1]: x = (pixel − 127.5) / 127.5", or the
     * formula alone when it is no preset.
     */
    public static String describe(Preprocessing p, int channels) {
        PreprocessingPreset preset = PreprocessingPreset.matching(p, channels);
        if (preset != null) {
            return preset.label() + ": " + preset.formula();
        }
        StringBuilder mean = new StringBuilder();
        StringBuilder std = new StringBuilder();
        int n = Math.max(p.mean().size(), p.std().size());
        for (int c = 0; c < n; c++) {
            mean.append(c == 0 ? "" : ", ").append(trim(p.meanOf(c) / p.inputScale()));
            std.append(c == 0 ? "" : ", ").append(trim(p.stdOf(c) / p.inputScale()));
        }
        return n > 1 ? "x = (pixel − [" + mean + "]) / [" + std + "]" : "x = (pixel − " + mean + ") / " + std;
    }

    private static String trim(double v) {
        double r = Math.round(v * 1000) / 1000.0;
        return r == Math.rint(r) ? Long.toString((long) r) : String.format(Locale.ROOT, "%s", r);
    }
}
