package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.evaluate.ClassifierFigures;
import k210studio.converter.evaluate.DatasetReader;
import k210studio.converter.evaluate.DetectorFigures;
import k210studio.converter.evaluate.EvalDataset;
import k210studio.converter.evaluate.EvalReport;
import k210studio.converter.evaluate.EvaluateException;
import k210studio.converter.evaluate.Evaluator;
import k210studio.converter.evaluate.ImageResult;
import k210studio.converter.evaluate.K210Build;
import k210studio.converter.evaluate.OutputDecoding;
import k210studio.converter.evaluate.doctor.DoctorReport;
import k210studio.converter.evaluate.doctor.QuantDoctor;
import k210studio.converter.evaluate.doctor.Suggestion;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.train.BoardInput;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.post.Labels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./k210 eval MODEL [KMODEL] --dataset DIR [--target v3|v4] [--json] [--worst N]}: the float model and its K210
 * model (the given kmodel, or compiled in memory calibrated on the dataset) on every image of a labelled folder.
 * Exit 0 evaluated, 2 unreadable input, 1 a model that does not compile, 130 cancelled by Ctrl+C (the figures of the
 * images done are still printed whole). {@code --doctor} adds the quantization doctor's per-layer table and ranked
 * fixes, {@code --apply-doctor} also the agreement after the top fix. {@code --progress} (or a terminal on stderr) shows images done and time left.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Float vs K210 accuracy of a model on a folder of images (class folders, VOC/YOLO boxes, or unlabelled).")
public final class EvalCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the float model (.tflite, .h5/.keras or project)")
    Path model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "KMODEL", description = "its kmodel (default: compiled in memory)")
    Path kmodel;

    @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "the images to evaluate on")
    Path dataset;

    @Option(names = "--target", defaultValue = "v3", paramLabel = "v3|v4", description = "kmodel version to compile (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--labels", paramLabel = "FILE", description = "the model's class names, one a line")
    Path labels;

    @Option(names = "--decoder", paramLabel = "classifier|yolo2|ultraface", description = "what the outputs mean (default: guessed)")
    String decoder;

    @Option(names = "--anchors", split = ",", paramLabel = "W,H,...", description = "YOLOv2 anchors in grid units")
    float[] anchors;

    @Option(names = "--mean", paramLabel = "M", description = "input mean in pixel units (default: the project's, else 0)")
    Float mean;

    @Option(names = "--std", paramLabel = "S", description = "input std in pixel units (default: the project's, else 255)")
    Float std;

    @Option(names = "--worst", defaultValue = "10", paramLabel = "N", description = "list the N worst images (default ${DEFAULT-VALUE})")
    int worst;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "worker threads (default: one per core)")
    int threads;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--progress", description = "print a progress line (images done, time left) on stderr; on by default when stderr is a terminal")
    boolean progress;

    @Option(names = "--doctor", description = "quantization doctor: per-layer error vs float, the layers ranked by the agreement they "
            + "cost, and a fix for each (needs the model compiled in memory: no KMODEL)")
    boolean doctor;

    @Option(names = "--apply-doctor", description = "with --doctor: compile again with the top suggestion applied, evaluate, and print both agreements")
    boolean applyDoctor;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = out();
        PrintWriter err = err();
        Graph g;
        BoardInput in;
        QuantRules rules;
        Kmodel km = null;
        List<String> names = List.of();
        try {
            rules = ModelOptions.target(target);
            g = LintCommand.load(model).graph();
            float[] pre = ModelOptions.preprocessing(model, mean, std, err);
            TensorShape shape = ModelOptions.imageInput(g, "eval", model);
            in = new BoardInput(shape.h(), shape.w(), shape.c(), pre[0], pre[1], ChannelOrder.RGB);
            if (kmodel != null && (doctor || applyDoctor)) {
                err.println("error: --doctor needs the model compiled in memory (its layer map and calibration): leave out " + kmodel.getFileName());
                return 2;
            }
            if (kmodel != null) {
                km = KmodelFiles.read(kmodel);
            }
            if (labels != null) {
                names = Labels.read(labels);
            }
        } catch (LintCommand.LintInputException | KmodelFormatException | IllegalArgumentException | IOException e) {
            return badInput(e.getMessage());
        }
        try {
            java.util.Map<String, TensorShape> shapes = k210studio.ir.shape.ShapeInference.infer(g).shapes();
            int classes = g.outputIds().size() == 1 ? (int) shapes.get(g.outputIds().get(0)).elements() : -1;
            OutputDecoding dec = decoding(g, shapes);
            int modelClasses = dec.detector() ? -1 : classes;
            EvalDataset ds = DatasetReader.read(dataset, names.isEmpty() ? names : k210studio.converter.evaluate.ClassNames.forOutputs(names, classes), modelClasses);
            ds.warnings().forEach(w -> err.println("warning: " + w));
            if ((doctor || applyDoctor) && dec.detector()) {
                err.println("warning: the doctor's ranking reads the top-1 class of the first output; for a detector only its per-layer table means much");
            }
            String version = rules == QuantRules.V3 ? "v3" : "v4";
            K210Build build = null;
            K210Compiler.Result compiled = null;
            if (km == null) {
                build = new K210Build(CompileOptions.defaults(rules).withPreprocessing(in.mean(), in.std()),
                        K210Build.spread(ds.images(), K210Build.DEFAULT_CALIBRATION_IMAGES));
                compiled = build.compile(g, in, null);
                km = compiled.model();
            } else {
                version = km.getClass().getSimpleName().startsWith("V4") ? "v4" : "v3";
            }
            try (EvalInterrupt interrupt = EvalInterrupt.install()) {
                EvalProgressLine line = progress || EvalProgressLine.stderrIsTerminal() ? new EvalProgressLine(err) : null;
                EvalReport r = Evaluator.evaluate(g, in, km, version, ds, dec, threads, line, interrupt.cancel());
                if (line != null) {
                    line.end();
                }
                if (r.cancelled()) {
                    err.printf(Locale.ROOT, "cancelled: %d of %d image(s) evaluated; the figures below count those only%n", r.evaluated(), r.total());
                }
                DoctorReport d = null;
                DoctorOutput.Applied applied = null;
                if ((doctor || applyDoctor) && !r.cancelled()) {
                    d = QuantDoctor.diagnose(in, build, compiled, ds, threads, line, interrupt.cancel());
                    if (line != null) {
                        line.end();
                    }
                    Suggestion top = d.top();
                    if (applyDoctor && top != null && r.classifier() != null && !interrupt.cancel().getAsBoolean()) {
                        EvalReport again = Evaluator.evaluate(g, in, top.apply(build).compile(g, in, null).model(), version, ds, dec, threads,
                                line, interrupt.cancel());
                        if (line != null) {
                            line.end();
                        }
                        applied = new DoctorOutput.Applied(top, r.classifier().agreement(), again.classifier().agreement());
                    }
                }
                err.flush();
                report(out, r, d, applied);
                interrupt.reported();
                return r.cancelled() ? EvalInterrupt.EXIT_CANCELLED : 0;
            }
        } catch (EvaluateException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return e.getCause() instanceof k210studio.converter.compile.CompileException ? 1 : 2;
        }
    }

    /** The report, whole, on stdout (text or --json). */
    private void report(PrintWriter out, EvalReport r, DoctorReport d, DoctorOutput.Applied applied) throws IOException {
        if (json) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = EvalJson.of(m, r, worst);
            if (d != null) {
                DoctorOutput.json(root, d, applied);
            }
            out.println(m.writeValueAsString(root));
        } else {
            print(out, r);
            if (d != null) {
                DoctorOutput.print(out, d, applied, worst);
            }
        }
        out.flush();
    }

    private OutputDecoding decoding(Graph g, java.util.Map<String, TensorShape> shapes) {
        if (decoder == null) {
            List<int[]> chw = new java.util.ArrayList<>();
            for (String id : g.outputIds()) {
                TensorShape s = shapes.get(id);
                chw.add(s.isImage() ? new int[] {s.c(), s.h(), s.w()} : new int[] {(int) s.elements(), 1, 1});
            }
            OutputDecoding guess = OutputDecoding.guess(chw);
            return anchors == null ? guess : new OutputDecoding(guess.kind(), anchors, guess.threshold(), guess.nms());
        }
        OutputDecoding.Kind k = OutputDecoding.Kind.parse(decoder);
        return k == OutputDecoding.Kind.CLASSIFIER ? OutputDecoding.classifier() : new OutputDecoding(k, anchors, k == OutputDecoding.Kind.ULTRA_FACE ? 0.7f : 0.5f, 0.3f);
    }

    private void print(PrintWriter out, EvalReport r) {
        EvalDataset ds = r.dataset();
        out.printf(Locale.ROOT, "dataset: %s, %s, %d image(s)%s%n", ds.root(), ds.layout().title(), r.evaluated(), r.cancelled() ? " (cancelled)" : "");
        ClassifierFigures c = r.classifier();
        if (c != null) {
            if (c.labelled() > 0) {
                out.printf(Locale.ROOT, "%-8s %8s %8s%n", "", "top-1", "top-5");
                out.printf(Locale.ROOT, "%-8s %7.2f%% %7.2f%%%n", "float", 100 * c.floatTop1Accuracy(), 100 * c.floatTop5Accuracy());
                out.printf(Locale.ROOT, "%-8s %7.2f%% %7.2f%%%n", "K210 " + r.target(), 100 * c.k210Top1Accuracy(), 100 * c.k210Top5Accuracy());
            }
            out.printf(Locale.ROOT, "top-1 agreement K210 vs float: %.2f%% (%d of %d)%n", 100 * c.agreement(), c.agreeing(), c.images());
            if (!c.perClass().isEmpty()) {
                out.printf(Locale.ROOT, "%n%-24s %6s %8s %8s%n", "CLASS", "IMAGES", "FLOAT", "K210");
                for (ClassifierFigures.ClassFigures f : c.perClass()) {
                    out.printf(Locale.ROOT, "%-24s %6d %7.1f%% %7.1f%%%n", shorten(ds.className(f.index()), 24), f.images(),
                            100 * f.floatAccuracy(), 100 * f.k210Accuracy());
                }
                printConfusion(out, r, c);
            }
        }
        DetectorFigures d = r.detector();
        if (d != null) {
            out.printf(Locale.ROOT, "mAP@0.5: float %s, K210 %s (%d labelled box(es))%n", pct(d.floatMap()), pct(d.k210Map()), d.truths());
            out.printf(Locale.ROOT, "box agreement K210 vs float: %.2f%% (%d matched; %d float, %d K210 boxes)%n", 100 * d.boxAgreement(),
                    d.matched(), d.floatBoxes(), d.k210Boxes());
        }
        List<ImageResult> w = r.worst(worst);
        if (!w.isEmpty()) {
            out.printf(Locale.ROOT, "%nworst images (largest disagreement first):%n");
            for (ImageResult i : w) {
                out.printf(Locale.ROOT, "  %.4f  %s%s%n", i.disagreement(), i.image().name(), c == null ? ""
                        : "  float " + ds.className(i.floatTop1()) + ", K210 " + ds.className(i.k210Top1()));
            }
        }
    }

    /** The K210 confusion matrix over the classes present (rows truth, columns K210 top-1). */
    private static void printConfusion(PrintWriter out, EvalReport r, ClassifierFigures c) {
        List<Integer> cls = c.perClass().stream().map(ClassifierFigures.ClassFigures::index).toList();
        if (cls.size() > 30) {
            out.printf(Locale.ROOT, "%n(confusion matrix of %d classes: see --json)%n", cls.size());
            return;
        }
        out.printf(Locale.ROOT, "%nconfusion (rows: truth, columns: K210 top-1)%n%-12s", "");
        for (int j : cls) {
            out.printf(Locale.ROOT, " %6s", shorten(r.dataset().className(j), 6));
        }
        out.println();
        for (int i : cls) {
            out.printf(Locale.ROOT, "%-12s", shorten(r.dataset().className(i), 12));
            for (int j : cls) {
                out.printf(Locale.ROOT, " %6d", c.k210Confusion()[i][j]);
            }
            out.println();
        }
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
