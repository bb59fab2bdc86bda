package k210studio.converter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Input;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.project.ProjectFileException;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.tensor.TensorShape;

/**
 * The meaning of the options several subcommands take about a float model: {@code --target}, {@code --budget},
 * {@code --mean}/{@code --std} (pixel units, the project's own preprocessing unless given) and the model's one input.
 * Each command keeps its own wording of the option in its help; what the value does is decided here, once.
 */
final class ModelOptions {
    private ModelOptions() {
    }

    /** {@code --target v3|v4} (also {@code 3}/{@code 4}, any case). */
    static QuantRules target(String t) {
        switch (t.toLowerCase(Locale.ROOT)) {
            case "v3":
            case "3":
                return QuantRules.V3;
            case "v4":
            case "4":
                return QuantRules.V4;
            default:
                throw new IllegalArgumentException("unknown target '" + t + "' (use v3 or v4)");
        }
    }

    /** {@code --budget bare-sdk|maixpy-minimum|maixpy-full} (also {@code sdk}, {@code maixpy-min}). */
    static MemoryBudget budget(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "bare-sdk":
            case "sdk":
                return MemoryBudget.BARE_SDK;
            case "maixpy-minimum":
            case "maixpy-min":
                return MemoryBudget.MAIXPY_MINIMUM;
            case "maixpy-full":
                return MemoryBudget.MAIXPY_FULL_CAMERA_LCD;
            default:
                throw new IllegalArgumentException("unknown budget '" + s + "' (use bare-sdk, maixpy-minimum or maixpy-full)");
        }
    }

    /**
     * Pixel-unit {@code {mean, std}}: the options, else the project's preprocessing (channel 0, with a warning on
     * {@code err} when the channels differ), else 0/255 (pixels scaled to 0..1).
     */
    static float[] preprocessing(Path model, Float mean, Float std, PrintWriter err) throws LintCommand.LintInputException {
        float m = 0f;
        float s = 255f;
        if (model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ProjectFile.EXTENSION)) {
            try {
                Preprocessing p = ProjectFile.load(model).settings().preprocessing();
                m = (float) (Math.round((double) p.mean().get(0) / p.inputScale() * 1e4) / 1e4);
                s = (float) (Math.round((double) p.std().get(0) / p.inputScale() * 1e4) / 1e4);
                if (p.mean().stream().distinct().count() > 1 || p.std().stream().distinct().count() > 1) {
                    err.println("warning: the KPU input has one quantization for all channels; using channel 0's mean/std");
                }
            } catch (ProjectFileException e) {
                throw new LintCommand.LintInputException(e.getMessage());
            }
        }
        if (mean != null) {
            m = mean;
        }
        if (std != null) {
            s = std;
        }
        return new float[] {m, s};
    }

    /** The shape of the graph's first input. */
    static TensorShape inputShape(Graph g) {
        return ((Input) g.layer(g.inputIds().get(0)).params()).shape();
    }

    /** The first input's shape when it is an image (H×W×C); else why {@code command} cannot take the model. */
    static TensorShape imageInput(Graph g, String command, Path model) throws LintCommand.LintInputException {
        TensorShape in = inputShape(g);
        if (!in.isImage()) {
            throw new LintCommand.LintInputException(command + " takes image models; " + model.getFileName() + " has input " + in);
        }
        return in;
    }
}
