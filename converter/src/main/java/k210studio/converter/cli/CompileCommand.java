package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import k210studio.converter.compile.CalibrationDataset;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.CompileReport;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.files.AtomicFiles;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./k210 compile <model.tflite|.h5|.keras|project> --dataset <dir> --target v3|v4 -o out.kmodel
 * [--report report.json] [--mean m --std s] [--weights-bits 8|16] [--max-images N] [--budget preset]}:
 * calibrate on the images, quantize, lower to the KPU, plan memory and write the kmodel (temp file + rename, so a
 * failure never leaves a half-written file). Exit 0 written, 1 the model does not convert or fit, 2 bad input.
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile a float model to a kmodel V3 or V4 with calibration images, like nncase's ncc.")
public final class CompileCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "a .tflite, .h5/.keras or K210 Studio project file")
    Path model;

    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "folder of calibration images (.jpg .png .bmp) or raw float32 .bin samples")
    Path dataset;

    @Option(names = "--target", defaultValue = "v3", paramLabel = "v3|v4", description = "kmodel version (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "the .kmodel to write")
    Path output;

    @Option(names = "--report", paramLabel = "JSON", description = "write the per-layer memory and placement report")
    Path report;

    @Option(names = "--mean", paramLabel = "M", description = "input mean in pixel units: x = (pixel - mean) / std"
            + " (default: the project's, else 0)")
    Float mean;

    @Option(names = "--std", paramLabel = "S", description = "input std in pixel units (default: the project's, else 255)")
    Float std;

    @Option(names = "--weights-bits", defaultValue = "8", description = "8, or 16 (V3 only)")
    int weightBits;

    @Option(names = "--max-images", defaultValue = "0", description = "use at most N calibration files (0 = all)")
    int maxImages;

    @Option(names = "--dense-kpu-min", defaultValue = "1024",
            description = "Dense layers with at least this many weights run on the KPU (default ${DEFAULT-VALUE}, as nncase)")
    int denseKpuMin;

    @Option(names = "--budget", paramLabel = "bare-sdk|maixpy-minimum|maixpy-full", defaultValue = "bare-sdk",
            description = "main RAM budget the model must fit (default ${DEFAULT-VALUE})")
    String budget;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        QuantRules rules;
        CompileOptions opt;
        LintCommand.Loaded loaded;
        try {
            rules = ModelOptions.target(target);
            loaded = LintCommand.load(model);
            float[] pre = ModelOptions.preprocessing(model, mean, std, err);
            opt = CompileOptions.defaults(rules).withPreprocessing(pre[0], pre[1]).withWeightBits(weightBits)
                    .withKpuDenseMinWeights(denseKpuMin).withMainRamBudget(ModelOptions.budget(budget).bytes());
        } catch (LintCommand.LintInputException | IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        Graph g = loaded.graph();
        for (String w : loaded.importWarnings()) {
            err.println("import: " + w);
        }
        ProgressBar bar = new ProgressBar(err, !quiet);
        K210Compiler.Result r;
        try {
            if (g.inputIds().size() != 1) {
                err.println("error: a kmodel has one input; " + model.getFileName() + " has " + g.inputIds().size());
                return 1;
            }
            TensorShape in = ModelOptions.inputShape(g);
            bar.phase("load images", 0, 1);
            List<Tensor> samples = CalibrationDataset.load(dataset, in, opt.mean(), opt.std(), maxImages);
            r = K210Compiler.compile(g, samples, opt, bar::phase);
        } catch (CompileException e) {
            bar.done();
            err.println("error: " + e.getMessage());
            err.println("nothing was written.");
            return e.getMessage().startsWith("calibration dataset") || e.getMessage().startsWith("cannot read") ? 2 : 1;
        }
        bar.done();
        try {
            AtomicFiles.write(output, r.kmodel());
            if (report != null) {
                ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                AtomicFiles.write(report, m.writeValueAsBytes(r.report()));
            }
        } catch (IOException e) {
            return badInput("cannot write " + e.getMessage());
        }
        printSummary(out, r.report(), opt);
        out.flush();
        return 0;
    }

    private void printSummary(PrintWriter out, CompileReport rep, CompileOptions opt) {
        long kpuSteps = rep.steps().stream().filter(CompileReport.Step::kpu).count();
        out.printf(Locale.ROOT, "wrote %s: kmodel %s, %,d bytes, %d layers (%d on the KPU)%n", output, rep.target().toUpperCase(Locale.ROOT),
                rep.fileBytes(), rep.steps().size(), kpuSteps);
        out.printf(Locale.ROOT, "calibration: %d sample(s), x = (pixel - %s) / %s%n", rep.calibrationImages(), opt.mean(), opt.std());
        out.printf(Locale.ROOT, "KPU RAM: peak %,d B of 2,097,152 B%n", rep.kpuPeakBytes());
        out.printf(Locale.ROOT, "main RAM: kmodel %,d B + buffers %,d B = %,d B of %,d B budget%n", rep.fileBytes(), rep.mainBytes(),
                rep.fileBytes() + rep.mainBytes(), opt.mainRamBudget());
        for (String n : rep.notes()) {
            out.println("note: " + n);
        }
        for (var sat : rep.saturatedOutputs()) {
            out.println("warning: " + sat.message());
        }
        if (report != null) {
            out.println("report: " + report);
        }
    }

    /** A one-line progress bar on the terminal (stderr), redrawn in place. */
    static final class ProgressBar {
        private final PrintWriter err;
        private final boolean enabled;
        private boolean drawn;

        ProgressBar(PrintWriter err, boolean enabled) {
            this.err = err;
            this.enabled = enabled && System.console() != null;
        }

        void phase(String name, int done, int total) {
            if (!enabled) {
                return;
            }
            int width = 30;
            int filled = total <= 0 ? width : (int) ((long) width * done / total);
            err.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + String.format(Locale.ROOT, "%-10s %d/%d   ", name, done, total));
            err.flush();
            drawn = true;
        }

        void done() {
            if (drawn) {
                err.println();
                err.flush();
                drawn = false;
            }
        }
    }
}
