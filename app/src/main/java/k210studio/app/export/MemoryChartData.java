package k210studio.app.export;

import java.util.List;
import java.util.Locale;
import k210studio.converter.compile.CompileReport;
import k210studio.ir.rules.KpuLayerMemory;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.MemoryEstimate;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The datasets of the export wizard's memory page, built from the compiler's {@link CompileReport} and nothing
 * else, so every bar is a figure of the report:
 * <ul>
 *   <li>per step: KPU RAM read (its KPU inputs) and written (its KPU outputs), stacked, against the 2 MiB;</li>
 *   <li>the KPU RAM timeline: every KPU buffer as a rectangle from its first to its last step (x) over its
 *       addresses (y), plus the live bytes per step;</li>
 *   <li>main RAM: the kmodel file (MaixPy loads it into RAM) split into its KPU/Dense weights, its BN and activation
 *       tables and the rest (header, register words, CPU layers), then the runtime's main-memory buffers
 *       ({@code main_mem_usage}), stacked against the chosen firmware's budget.</li>
 * </ul>
 * When the compile failed there is no report; {@link #estimated} draws the checker's per-layer estimate instead.
 */
public final class MemoryChartData {
    /** KPU RAM of the K210: 2 MiB. */
    public static final long KPU_RAM_BYTES = 2L * 1024 * 1024;
    public static final String INPUT = "input (KPU)";
    public static final String OUTPUT = "output (KPU)";
    public static final String WEIGHTS = "weights";
    public static final String TABLES = "BN + activation tables";
    public static final String KMODEL_REST = "kmodel header, registers, CPU layers";
    public static final String BUFFERS = "main buffers";
    /** The main-RAM chart's one column. */
    public static final String MAIN = "main RAM";
    /** The parts of the main-RAM bar, bottom to top. */
    public static final java.util.List<String> MAIN_PARTS = java.util.List.of(WEIGHTS, TABLES, KMODEL_REST, BUFFERS);

    private final DefaultCategoryDataset perStep;
    private final XYIntervalSeriesCollection timeline;
    private final XYSeriesCollection live;
    private final DefaultCategoryDataset mainRam;
    private final long budgetBytes;
    private final String budgetLabel;

    private MemoryChartData(DefaultCategoryDataset perStep, XYIntervalSeriesCollection timeline, XYSeriesCollection live,
                            DefaultCategoryDataset mainRam, MemoryBudget budget) {
        this.perStep = perStep;
        this.timeline = timeline;
        this.live = live;
        this.mainRam = mainRam;
        this.budgetBytes = budget.bytes();
        this.budgetLabel = budget.label();
    }

    /** The column key of a step: "index op layer", unique per step. */
    public static String stepKey(CompileReport.Step s) {
        return String.format(Locale.ROOT, "%02d %s", s.index(), s.layer() == null ? s.op() : s.layer());
    }

    /** The charts of a compile: the report's figures, the kmodel split as its program holds it. */
    public static MemoryChartData of(k210studio.converter.compile.K210Compiler.Result c, MemoryBudget budget) {
        long weights = 0;
        long tables = 0;
        for (k210studio.converter.compile.PlanStep s : c.program().steps()) {
            if (s instanceof k210studio.converter.compile.PlanStep.KpuConv k) {
                weights += k.plan().weightBytes();
                // BN words (8 bytes each) and the 16-segment activation table (144 bytes) of each KPU layer
                tables += 8L * k.plan().bnWords().length + 144;
            } else if (s instanceof k210studio.converter.compile.PlanStep.FullyConnected f) {
                weights += 4L * (f.weights().length + f.bias().length);
            }
        }
        long file = c.report().fileBytes();
        // the parts never exceed the file they are part of
        weights = Math.min(weights, file);
        tables = Math.min(tables, file - weights);
        return of(c.report(), budget, weights, tables);
    }

    private static MemoryChartData of(CompileReport r, MemoryBudget budget, long weights, long tables) {
        DefaultCategoryDataset per = new DefaultCategoryDataset();
        XYSeries liveSeries = new XYSeries("live KPU bytes");
        for (CompileReport.Step s : r.steps()) {
            String key = stepKey(s);
            per.addValue(kpuBytes(s.inputs()), INPUT, key);
            per.addValue(kpuBytes(s.outputs()), OUTPUT, key);
            liveSeries.add(s.index(), s.kpuLiveBytes());
        }
        XYIntervalSeries buffers = new XYIntervalSeries("KPU buffers");
        for (CompileReport.Buffer b : r.kpuBuffers()) {
            // x: from the first step to the end of the last; y: address range
            buffers.add(b.firstStep() + 0.5, b.firstStep(), b.lastStep() + 1, b.address() + b.bytes() / 2.0, b.address(),
                    b.address() + b.bytes());
        }
        XYIntervalSeriesCollection tl = new XYIntervalSeriesCollection();
        tl.addSeries(buffers);
        return new MemoryChartData(per, tl, new XYSeriesCollection(liveSeries),
                main(weights, tables, r.fileBytes() - weights - tables, r.mainBytes()), budget);
    }

    /** The checker's per-KPU-layer estimate, for a model the compiler refused (no report). */
    public static MemoryChartData estimated(MemoryEstimate e, MemoryBudget budget) {
        DefaultCategoryDataset per = new DefaultCategoryDataset();
        int i = 0;
        for (KpuLayerMemory m : e.kpuLayers()) {
            String key = estimateKey(i++, m);
            per.addValue(m.inputBytes(), INPUT, key);
            per.addValue(m.outputBytes(), OUTPUT, key);
        }
        return new MemoryChartData(per, new XYIntervalSeriesCollection(), new XYSeriesCollection(),
                main(e.weightBytes(), e.tableBytes(), 0, e.cpuBufferBytes()), budget);
    }

    private static DefaultCategoryDataset main(long weights, long tables, long rest, long buffers) {
        DefaultCategoryDataset main = new DefaultCategoryDataset();
        main.addValue(weights, WEIGHTS, MAIN);
        main.addValue(tables, TABLES, MAIN);
        main.addValue(rest, KMODEL_REST, MAIN);
        main.addValue(buffers, BUFFERS, MAIN);
        return main;
    }

    public static String estimateKey(int i, KpuLayerMemory m) {
        return String.format(Locale.ROOT, "%02d %s%s", i, m.layerName(), m.part().isEmpty() ? "" : " " + m.part());
    }

    private static long kpuBytes(List<CompileReport.Access> as) {
        long n = 0;
        for (CompileReport.Access a : as) {
            if (a.memory().equals("kpu")) {
                n += a.bytes();
            }
        }
        return n;
    }

    public DefaultCategoryDataset perStep() {
        return perStep;
    }

    public XYIntervalSeriesCollection timeline() {
        return timeline;
    }

    public XYSeriesCollection live() {
        return live;
    }

    public DefaultCategoryDataset mainRam() {
        return mainRam;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    public String budgetLabel() {
        return budgetLabel;
    }

    /** Main RAM the model needs (kmodel + buffers). */
    public long mainTotal() {
        long n = 0;
        for (String part : MAIN_PARTS) {
            n += mainRam.getValue(part, MAIN).longValue();
        }
        return n;
    }

    /** The kmodel's share of main RAM (weights, tables and the rest of the file). */
    public long kmodelBytes() {
        return mainTotal() - mainRam.getValue(BUFFERS, MAIN).longValue();
    }

    /** The column keys of the per-step chart whose label names this layer. */
    public List<String> columnsOf(String layerName) {
        List<String> out = new java.util.ArrayList<>();
        if (layerName == null) {
            return out;
        }
        for (Object k : perStep.getColumnKeys()) {
            String s = k.toString();
            String rest = s.substring(s.indexOf(' ') + 1);
            if (rest.equals(layerName) || rest.startsWith(layerName + " ")) {
                out.add(s);
            }
        }
        return out;
    }
}
