package k210studio.app.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.evaluate.ClassNames;
import k210studio.converter.evaluate.DatasetReader;
import k210studio.converter.evaluate.EvalDataset;
import k210studio.converter.evaluate.EvaluateException;
import k210studio.converter.evaluate.K210Build;
import k210studio.converter.evaluate.OutputDecoding;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.train.BoardInput;
import k210studio.converter.train.TrainingException;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Input;
import k210studio.ir.project.Project;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * What an evaluation of the studio's project needs, read from the project the way {@code k210 eval} reads a model:
 * the board input from the project's preprocessing, the output decoding guessed from the output shapes, the
 * project's labels numbered as the outputs, and the K210 model — compiled in memory calibrated on up to
 * {@link K210Build#DEFAULT_CALIBRATION_IMAGES} images spread over the dataset, or read from a .kmodel. Each failure is
 * an {@link EvaluateException} whose message names the cause and the fix.
 */
final class EvalSetup {
    /**
     * The K210 model evaluated and its version ("v3", "v4"); for a model compiled here also its build and the compile
     * (the doctor's input), null for a given .kmodel.
     */
    record Model(Kmodel kmodel, String version, K210Build build, K210Compiler.Result compiled) {
        Model(Kmodel kmodel, String version) {
            this(kmodel, version, null, null);
        }
    }

    private final Graph graph;
    private final BoardInput input;
    private final OutputDecoding decoding;
    private final int classes;
    private final List<String> labels;

    private EvalSetup(Graph graph, BoardInput input, OutputDecoding decoding, int classes, List<String> labels) {
        this.graph = graph;
        this.input = input;
        this.decoding = decoding;
        this.classes = classes;
        this.labels = labels;
    }

    static EvalSetup of(Project p) throws EvaluateException {
        if (p == null) {
            throw new EvaluateException("there is no project: open or import a model first");
        }
        Graph g = p.graph();
        if (g.inputIds().size() != 1 || !(g.layer(g.inputIds().get(0)).params() instanceof Input in)) {
            throw new EvaluateException("the evaluator feeds one image input; this network has " + g.inputIds().size()
                    + " inputs: keep a single H×W×1 or H×W×3 Input layer");
        }
        BoardInput board;
        List<int[]> geometry;
        try {
            board = BoardInput.of(in.shape(), p.settings().preprocessing());
            geometry = OutputDecoding.geometry(g);
        } catch (TrainingException | IllegalArgumentException e) {
            throw new EvaluateException(e.getMessage() + ": fix the network's input (see the Problems panel)", e);
        } catch (RuntimeException e) {
            throw new EvaluateException("the network's shapes do not work out (" + e.getMessage() + "): fix the errors in the Problems panel first", e);
        }
        OutputDecoding dec = OutputDecoding.guess(geometry);
        int outputs = geometry.size() == 1 ? geometry.get(0)[0] * geometry.get(0)[1] * geometry.get(0)[2] : -1;
        List<String> names = p.settings().labels().isEmpty() ? List.of() : ClassNames.forOutputs(p.settings().labels(), outputs);
        return new EvalSetup(g, board, dec, dec.detector() ? -1 : outputs, names);
    }

    BoardInput input() {
        return input;
    }

    OutputDecoding decoding() {
        return decoding;
    }

    /** Reads a dataset folder against the model's outputs and labels. */
    EvalDataset dataset(Path dir) throws EvaluateException {
        return DatasetReader.read(dir, labels, classes);
    }

    static int calibrationCount(EvalDataset ds) {
        return Math.min(K210Build.DEFAULT_CALIBRATION_IMAGES, ds.images().size());
    }

    /** The K210 model: the given kmodel, or the project compiled for V3/V4 calibrated on the dataset. */
    Model model(EvaluateViewModel.Source source, Path kmodel, EvalDataset ds) throws EvaluateException {
        if (source == EvaluateViewModel.Source.KMODEL) {
            try {
                Kmodel m = KmodelFiles.read(kmodel);
                return new Model(m, "v" + m.version());
            } catch (IOException | KmodelFormatException e) {
                throw new EvaluateException(kmodel.getFileName() + " is not a kmodel the simulator reads (" + e.getMessage()
                        + "): choose a V3 or V4 .kmodel, e.g. one the export wizard wrote", e);
            }
        }
        QuantRules rules = source == EvaluateViewModel.Source.V4 ? QuantRules.V4 : QuantRules.V3;
        return model(new K210Build(CompileOptions.defaults(rules).withPreprocessing(input.mean(), input.std()),
                K210Build.spread(ds.images(), K210Build.DEFAULT_CALIBRATION_IMAGES)));
    }

    /** The project compiled with a given build (e.g. one the quantization doctor suggests). */
    Model model(K210Build build) throws EvaluateException {
        try {
            K210Compiler.Result c = build.compile(graph, input, null);
            return new Model(c.model(), build.options().target() == QuantRules.V4 ? "v4" : "v3", build, c);
        } catch (EvaluateException e) {
            if (e.getCause() instanceof CompileException) {
                throw new EvaluateException(e.getMessage() + " — Check ▸ Fix All for Current Target adapts such layers; or try the other "
                        + "target, or evaluate a .kmodel", e);
            }
            throw e;
        }
    }
}
