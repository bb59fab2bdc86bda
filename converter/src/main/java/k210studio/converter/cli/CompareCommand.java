package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import k210studio.converter.compile.CalibrationDataset;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileReport;
import k210studio.converter.compile.KmodelComparison;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./k210 compare <model> <out.kmodel> --image img [--mean m --std s] [--report r.json] [--json]}: runs the float
 * model (prepared as the compiler prepares it) and the kmodel (in kpu-sim) on the same image and prints, for every
 * kmodel layer matched to a float tensor ({@link KmodelComparison}: by the compile report's layer map when given, else
 * by geometry), the cosine, max |Δ| and SNR, then the final outputs side by side. Exit 0 compared, 2 unreadable input.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Per-layer float vs K210 comparison of a model and its kmodel on one image.")
public final class CompareCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the float model (.tflite, .h5/.keras or project)")
    Path model;

    @Parameters(index = "1", paramLabel = "KMODEL", description = "the kmodel compiled from it (V3 or V4)")
    Path kmodel;

    @Option(names = "--image", required = true, paramLabel = "IMG", description = "JPEG/PNG/BMP image")
    Path image;

    @Option(names = "--mean", defaultValue = "0", description = "x = (pixel - mean) / std for the float model (default 0)")
    float mean;

    @Option(names = "--std", defaultValue = "255", description = "(default 255: pixels scaled to 0..1)")
    float std;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--report", paramLabel = "JSON",
            description = "the compile report of this kmodel (k210 compile --report): layers are matched with the compiler's own map")
    Path report;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        Graph g;
        Kmodel km;
        byte[] pixels;
        Tensor x;
        try {
            g = LintCommand.load(model).graph();
            km = KmodelFiles.read(kmodel);
            TensorShape in = ModelOptions.imageInput(g, "compare", model);
            pixels = ModelImageInput.planar(ImageFiles.read(image), in.w(), in.h(), in.c(), ImageResize.Method.BILINEAR, false);
            x = CalibrationDataset.fromPlanar(pixels, in.h(), in.w(), in.c(), mean, std);
        } catch (LintCommand.LintInputException | KmodelFormatException | ImageDecodeException | IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        // and on the compiler's prepared graph (BN folded, activations fused into their conv or pushed before a
        // concat): the same function, with the tensors our compiler produces (its report names them)
        EvaluationResult ref = FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), true);
        Graph prepared = k210studio.converter.compile.GraphPreparer.prepare(g);
        EvaluationResult preparedRef = FloatEvaluator.evaluate(prepared, Map.of(prepared.inputIds().get(0), x), true);
        KmodelTensor input = km.inputs().isEmpty() || km.inputs().get(0).type() == ElementType.UINT8
                ? KmodelTensor.ofUint8(new int[] {x.dim(2), x.dim(0), x.dim(1)}, pixels)
                : KmodelTensor.ofFloats(x.shape(), x.data());
        RunResult run;
        try {
            run = km.run(input, RunOptions.defaults().withTraceOutputs(true));
        } catch (KmodelFormatException | IllegalArgumentException e) {
            return badInput("the kmodel does not run on this input: " + e.getMessage());
        }
        KmodelComparison cmp;
        try {
            if (report != null) {
                CompileReport r = readReport(report);
                if (r.layers() == null || r.layers().size() != run.layers().size()) {
                    err.println("error: " + report.getFileName() + " describes " + (r.layers() == null ? 0 : r.layers().size())
                            + " kmodel layers, " + kmodel.getFileName() + " has " + run.layers().size() + ": is it this kmodel's report?");
                    return 2;
                }
                cmp = KmodelComparison.of(prepared, preparedRef, run, r.layerMap());
            } else {
                cmp = KmodelComparison.of(List.of(g, prepared), List.of(ref, preparedRef), run, km);
            }
        } catch (java.io.IOException e) {
            err.println("error: cannot read the report " + report + ": " + e.getMessage());
            return 2;
        } catch (CompileException e) {
            return badInput(e.getMessage());
        }
        if (json) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(m.writeValueAsString(toJson(m, cmp)));
        } else {
            print(out, cmp);
        }
        out.flush();
        return 0;
    }

    private static CompileReport readReport(Path p) throws java.io.IOException {
        return new ObjectMapper().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(p.toFile(), CompileReport.class);
    }

    private static ObjectNode toJson(ObjectMapper m, KmodelComparison c) {
        ObjectNode root = m.createObjectNode();
        ArrayNode layers = root.putArray("layers");
        for (KmodelComparison.LayerMatch l : c.layers()) {
            ObjectNode n = layers.addObject();
            n.put("index", l.index()).put("type", l.type()).put("unit", l.unit());
            n.put("floatLayer", l.floatLayer());
            if (l.floatLayer() != null) {
                n.put("cosine", l.stats().cosine()).put("maxAbsDiff", l.stats().maxAbsDiff()).put("snrDb", l.stats().snrDb());
                n.put("window", l.window().toString());
            }
            if (l.shape() != null) {
                ArrayNode s = n.putArray("shape");
                for (int d : l.shape()) {
                    s.add(d);
                }
            }
            if (l.note() != null) {
                n.put("note", l.note());
            }
        }
        ArrayNode outs = root.putArray("outputs");
        for (KmodelComparison.OutputMatch o : c.outputs()) {
            ObjectNode n = outs.addObject();
            n.put("index", o.index());
            ArrayNode f = n.putArray("float");
            for (float v : o.floatValues()) {
                f.add(v);
            }
            ArrayNode k = n.putArray("k210");
            for (float v : o.k210Values()) {
                k.add(v);
            }
            n.put("cosine", o.stats().cosine()).put("maxAbsDiff", o.stats().maxAbsDiff()).put("snrDb", o.stats().snrDb());
        }
        return root;
    }

    private static void print(PrintWriter out, KmodelComparison c) {
        out.printf(Locale.ROOT, "%-5s %-22s %-4s %-40s %9s %11s %9s%n", "#", "KMODEL LAYER", "UNIT", "FLOAT LAYER", "COSINE", "MAX |Δ|", "SNR dB");
        for (KmodelComparison.LayerMatch l : c.layers()) {
            if (l.floatLayer() == null) {
                out.printf(Locale.ROOT, "%-5d %-22s %-4s %-40s %s%n", l.index(), l.type(), l.unit(), "-",
                        l.note() == null ? "" : "(" + l.note() + ")");
            } else {
                out.printf(Locale.ROOT, "%-5d %-22s %-4s %-40s %9.5f %11.5g %9.2f%s%n", l.index(), l.type(), l.unit(),
                        shorten(l.floatLayer()), l.stats().cosine(), l.stats().maxAbsDiff(), l.stats().snrDb(),
                        l.window().whole() ? "" : "  (" + l.window() + " of " + l.shape()[1] + "×" + l.shape()[2] + ")");
            }
        }
        for (KmodelComparison.OutputMatch o : c.outputs()) {
            out.printf(Locale.ROOT, "%noutput %d: cosine %.5f, max |Δ| %.5g, SNR %.2f dB%n", o.index(), o.stats().cosine(),
                    o.stats().maxAbsDiff(), o.stats().snrDb());
            out.printf(Locale.ROOT, "%8s %14s %14s%n", "i", "float", "K210");
            int n = Math.min(o.floatValues().length, 10);
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < o.floatValues().length; i++) {
                idx.add(i);
            }
            idx.sort((a, b) -> Float.compare(Math.abs(o.floatValues()[b]), Math.abs(o.floatValues()[a])));
            for (int i = 0; i < n; i++) {
                int j = idx.get(i);
                out.printf(Locale.ROOT, "%8d %14.6g %14.6g%n", j, o.floatValues()[j], o.k210Values()[j]);
            }
            if (o.floatValues().length > n) {
                out.printf(Locale.ROOT, "%8s (the %d largest of %d values)%n", "", n, o.floatValues().length);
            }
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
