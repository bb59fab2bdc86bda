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
 *   <li>main RAM: the kmodel file (weights, BN/activation tables; MaixPy loads it into RAM) and the runtime's
 *       main-memory buffers ({@code main_mem_usage}), against the chosen firmware's budget.</li>
 * </ul>
 * When the compile failed there is no report; {@link #estimated} draws the checker's per-layer estimate instead.
 */
public final class MemoryChartData {
    /** KPU RAM of the K210: 2 MiB. */
    public static final long KPU_RAM_BYTES = 2L * 1024 * 1024;
    public static final String INPUT = "input (KPU)";
    public static final String OUTPUT = "output (KPU)";
    public static final String KMODEL = "kmodel: weights + tables";
    public static final String BUFFERS = "main buffers";

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

    public static MemoryChartData of(CompileReport r, MemoryBudget budget) {
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
        DefaultCategoryDataset main = new DefaultCategoryDataset();
        main.addValue(r.fileBytes(), KMODEL, "main RAM");
        main.addValue(r.mainBytes(), BUFFERS, "main RAM");
        return new MemoryChartData(per, tl, new XYSeriesCollection(liveSeries), main, budget);
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
        DefaultCategoryDataset main = new DefaultCategoryDataset();
        main.addValue(e.weightBytes() + e.tableBytes(), KMODEL, "main RAM");
        main.addValue(e.cpuBufferBytes(), BUFFERS, "main RAM");
        return new MemoryChartData(per, new XYIntervalSeriesCollection(), new XYSeriesCollection(), main, budget);
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
        return mainRam.getValue(KMODEL, "main RAM").longValue() + mainRam.getValue(BUFFERS, "main RAM").longValue();
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
