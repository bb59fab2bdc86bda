package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import k210studio.converter.keras.KerasImportException;
import k210studio.converter.keras.KerasImporter;
import k210studio.converter.tflite.ImportDiagnostic;
import k210studio.converter.tflite.ImportedModel;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.project.ProjectFileException;
import k210studio.ir.rules.CheckReport;
import k210studio.ir.rules.Finding;
import k210studio.ir.rules.Fix;
import k210studio.ir.rules.K210Checker;
import k210studio.ir.rules.KpuLayerMemory;
import k210studio.ir.rules.LayerCheck;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.MemoryEstimate;
import k210studio.ir.rules.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code k210 lint <project|model> [--target v3|v4] [--json] [--budget ...]}: the K210 rule
 * checker on a project file ({@code .k210proj}), a TFLite model or a Keras model ({@code .h5},
 * {@code .keras}). Prints per layer the verdict (KPU, KPU+CPU, CPU, UNSUPPORTED) for V3 and V4,
 * the rule, the reason and the fix offered, then the memory estimate. Exit code 0 when the model
 * converts for the target and fits its memory budget, 1 when not, 2 when the file cannot be read.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Check a model against the K210 rules: per layer KPU / KPU+CPU / CPU / UNSUPPORTED for V3 and V4,",
            "with the reason and the fix, plus KPU RAM and main RAM estimates.",
            "Exit code: 0 converts and fits, 1 does not, 2 unreadable input."})
public final class LintCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "<project|model>", description = "a .k210proj project, a .tflite model or a Keras .h5/.keras model")
    Path file;

    @Option(names = "--target", paramLabel = "v3|v4",
            description = "kmodel version to judge the exit code by (default: the project's target, else v3)")
    String target;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Option(names = "--budget", paramLabel = "bare-sdk|maixpy-minimum|maixpy-full", defaultValue = "bare-sdk",
            description = "main RAM budget: bare-sdk (6 MiB), maixpy-minimum (4.5 MiB), maixpy-full (MaixPy full + QVGA camera/LCD buffers); default ${DEFAULT-VALUE}")
    String budget;

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        MemoryBudget b;
        try {
            b = ModelOptions.budget(budget);
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        Loaded loaded;
        try {
            loaded = load(file);
        } catch (LintInputException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        Target t;
        try {
            t = target != null ? Target.parse(target) : loaded.defaultTarget;
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        for (String w : loaded.importWarnings) {
            err.println("import: " + w);
        }
        CheckReport report = K210Checker.check(loaded.graph, b);
        if (json) {
            out.println(toJson(loaded.graph, report, t));
        } else {
            printTable(out, loaded.graph, report, t);
        }
        out.flush();
        err.flush();
        return report.deployableFor(t) ? 0 : 1;
    }

    /** A model to lint, from whichever file kind it is. */
    record Loaded(Graph graph, Target defaultTarget, java.util.List<String> importWarnings) {
    }

    /** The input file cannot be turned into a graph; the message says why and what to do. */
    static final class LintInputException extends Exception {
        private static final long serialVersionUID = 1L;

        LintInputException(String message) {
            super(message);
        }
    }

    static Loaded load(Path file) throws LintInputException {
        if (!Files.isRegularFile(file)) {
            throw new LintInputException("file not found: " + file);
        }
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(ProjectFile.EXTENSION)) {
                Project p = ProjectFile.load(file);
                return new Loaded(p.graph(), Target.parse(p.settings().target()), java.util.List.of());
            }
            if (name.endsWith(".tflite")) {
                ImportedModel m = TfliteImporter.importFile(file);
                java.util.List<String> notes = new java.util.ArrayList<>();
                for (ImportDiagnostic d : m.diagnostics()) {
                    if (d.severity() != ImportDiagnostic.Severity.INFO) {
                        notes.add(d.toString());
                    }
                }
                return new Loaded(m.graph(), Target.V3, notes);
            }
            if (name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".keras")) {
                return new Loaded(KerasImporter.importFile(file).graph(), Target.V3, java.util.List.of());
            }
        } catch (ProjectFileException | KerasImportException | TfliteFormatException e) {
            throw new LintInputException(e.getMessage());
        } catch (IOException e) {
            throw new LintInputException("cannot read " + file + ": " + e.getMessage());
        }
        throw new LintInputException("do not know how to read " + file.getFileName()
                + ": expected a project (" + ProjectFile.EXTENSION + "), a TFLite model (.tflite) or a Keras model (.h5, .keras)");
    }

    private static void printTable(PrintWriter out, Graph g, CheckReport r, Target t) {
        out.printf(Locale.ROOT, "K210 lint: %s — judged for %s, %s%n", g.name(), t.label(), t.converter());
        int nameW = 5;
        int typeW = 4;
        for (LayerCheck l : r.layers()) {
            nameW = Math.max(nameW, shorten(l.name()).length());
            typeW = Math.max(typeW, l.type().length());
        }
        String fmt = "%-" + nameW + "s  %-" + typeW + "s  %-11s  %-11s  %-6s  %s%n";
        out.printf(Locale.ROOT, fmt, "LAYER", "TYPE", "V3", "V4", "RULE", "REASON (" + t.label() + ")");
        for (LayerCheck l : r.layers()) {
            Finding f = l.finding(t);
            boolean absorbed = l.groupId() != null && !l.groupId().equals(l.layerId());
            String reason = absorbed ? "fused into " + shorten(g.layer(l.groupId()).name()) + "'s KPU layer" : f.reason();
            out.printf(Locale.ROOT, fmt, shorten(l.name()), l.type(), l.v3().verdict().display(), l.v4().verdict().display(),
                    f.rule().id(), reason);
            for (Fix fix : l.fixes()) {
                out.printf(Locale.ROOT, "%" + (nameW + 2) + "s  fix: %s%s%n", "", fix.title(), fix.warning() == null ? "" : " (warning: " + fix.warning() + ")");
            }
        }
        MemoryEstimate m = r.memory(t);
        out.println();
        out.printf(Locale.ROOT, "KPU RAM (%s): peak %,d B of %,d B%s; %d KPU layer(s)%n", t.label(), m.kpuPeakBytes(), 2L * 1024 * 1024,
                m.kpuPeakLayer() == null ? "" : " at " + m.kpuPeakLayer(), m.kpuLayers().size());
        out.printf(Locale.ROOT, "main RAM (%s): about %,d B (weights %,d + tables %,d + CPU buffers %,d) of %,d B (%s)%n", t.label(),
                m.mainBytes(), m.weightBytes(), m.tableBytes(), m.cpuBufferBytes(), m.budget().bytes(), m.budget().label());
        java.util.List<String> problems = r.problems(t);
        if (r.deployableFor(t)) {
            out.printf(Locale.ROOT, "OK: converts for %s and fits the memory budget%s%n", t.label(),
                    r.layers().stream().anyMatch(l -> !l.fixes().isEmpty()) ? " (fixes are offered above)" : "");
        } else {
            out.printf(Locale.ROOT, "FAIL: %d problem(s) for %s:%n", problems.size(), t.label());
            for (String p : problems) {
                out.println("  - " + p);
            }
        }
    }

    /** Imported TFLite names can be very long ("model_1/conv_dw_2_relu_1/Relu;FusedBatchNormV3;..."): keep both ends in the table (JSON has the full name). */
    static String shorten(String name) {
        int max = 48;
        if (name.length() <= max) {
            return name;
        }
        return name.substring(0, 22) + "…" + name.substring(name.length() - (max - 23));
    }

    static String toJson(Graph g, CheckReport r, Target t) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("model", g.name());
        root.put("target", t.label());
        root.put("converts", r.convertsFor(t));
        root.put("fitsMemory", r.fitsMemory(t));
        ArrayNode layers = root.putArray("layers");
        for (LayerCheck l : r.layers()) {
            ObjectNode n = layers.addObject();
            n.put("id", l.layerId());
            n.put("name", l.name());
            n.put("type", l.type());
            if (l.groupId() != null) {
                n.put("kpuGroup", g.layer(l.groupId()).name());
            } else {
                n.putNull("kpuGroup");
            }
            finding(n.putObject("v3"), l.v3());
            finding(n.putObject("v4"), l.v4());
            if (l.fixes().isEmpty()) {
                n.putNull("fix");
            } else {
                fix(n.putObject("fix"), l.fixes().get(0));
            }
            ArrayNode fixes = n.putArray("fixes");
            for (Fix f : l.fixes()) {
                fix(fixes.addObject(), f);
            }
        }
        MemoryEstimate m = r.memory(t);
        ObjectNode mem = root.putObject("memory");
        mem.put("target", t.label());
        mem.put("kpuPeakBytes", m.kpuPeakBytes());
        mem.put("kpuPeakLayer", m.kpuPeakLayer());
        mem.put("mainBytes", m.mainBytes());
        mem.put("weightBytes", m.weightBytes());
        mem.put("tableBytes", m.tableBytes());
        mem.put("cpuBufferBytes", m.cpuBufferBytes());
        mem.put("budget", m.budget().label());
        mem.put("budgetBytes", m.budget().bytes());
        ArrayNode timeline = mem.putArray("kpuLayers");
        for (KpuLayerMemory k : m.kpuLayers()) {
            ObjectNode e = timeline.addObject();
            e.put("layer", k.layerName());
            if (!k.part().isEmpty()) {
                e.put("part", k.part());
            }
            e.put("input", k.input().toString());
            e.put("output", k.output().toString());
            e.put("inputBytes", k.inputBytes());
            e.put("outputBytes", k.outputBytes());
        }
        ArrayNode problems = root.putArray("problems");
        r.problems(t).forEach(problems::add);
        try {
            return json.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void finding(ObjectNode n, Finding f) {
        n.put("verdict", f.verdict().display());
        n.put("rule", f.rule().id());
        n.put("reason", f.reason());
    }

    private static void fix(ObjectNode n, Fix f) {
        n.put("title", f.title());
        n.put("rule", f.rule().id());
        if (f.warning() == null) {
            n.putNull("warning");
        } else {
            n.put("warning", f.warning());
        }
    }
}
