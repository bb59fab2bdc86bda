package k210studio.app.export;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.labels.StandardCategoryToolTipGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;

/**
 * The three memory charts of the export wizard, drawn from a {@link MemoryChartData}. The per-step chart is a
 * horizontal bar chart, one labelled row per step (the layer's name, the bytes on hover), so it stays readable for
 * a network of any length; its legend lists exactly the colours drawn. Main RAM is one stacked bar: weights, tables,
 * the rest of the kmodel and the runtime buffers against the firmware's budget.
 */
public final class MemoryCharts {
    private static final Color INPUT = new Color(0x1e88e5);
    private static final Color OUTPUT = new Color(0x43a047);
    private static final Color GUILTY = new Color(0xe53935);
    private static final Color[] MAIN = {new Color(0x546e7a), new Color(0x8e24aa), new Color(0x90a4ae), new Color(0xffb300)};
    /** Height of one step's row in the per-step chart, in pixels. */
    public static final double ROW_PX = 15;

    private MemoryCharts() {
    }

    /** Axis ticks every {@code step} KiB, labelled in KiB. */
    private static void kib(NumberAxis axis, int step) {
        axis.setTickUnit(new NumberTickUnit(step * 1024.0, kibFormat()));
    }

    private static DecimalFormat kibFormat() {
        return new DecimalFormat("#,##0") {
            @Override
            public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
                return super.format(number / 1024, toAppendTo, pos);
            }
        };
    }

    /** The height the per-step chart needs to give each step a readable row. */
    public static double perLayerHeight(MemoryChartData d) {
        return Math.max(260, d.perStep().getColumnCount() * ROW_PX + 120);
    }

    /** Per-step KPU RAM, input and output stacked, with the 2 MiB line; the guilty layer's rows in red. */
    public static JFreeChart perLayer(MemoryChartData d, Set<String> guiltyColumns, String title) {
        CategoryAxis x = new CategoryAxis(null);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        x.setCategoryMargin(0.15);
        x.setMaximumCategoryLabelWidthRatio(0.35f);
        NumberAxis y = new NumberAxis("KPU RAM (KiB)");
        kib(y, 256);
        StackedBarRenderer r = new StackedBarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                Object key = getPlot().getDataset().getColumnKey(column);
                if (guiltyColumns.contains(key.toString())) {
                    return row == 0 ? GUILTY.darker() : GUILTY;
                }
                return row == 0 ? INPUT : OUTPUT;
            }
        };
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, INPUT);
        r.setSeriesPaint(1, OUTPUT);
        r.setDefaultToolTipGenerator(new StandardCategoryToolTipGenerator("{1}: {0} {2} B", new DecimalFormat("#,##0")));
        CategoryPlot plot = new CategoryPlot(d.perStep(), x, y, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        ValueMarker limit = new ValueMarker(MemoryChartData.KPU_RAM_BYTES, GUILTY, new BasicStroke(2f));
        limit.setLabel("2 MiB KPU RAM");
        limit.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        limit.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addRangeMarker(limit, Layer.FOREGROUND);
        double top = Math.max(MemoryChartData.KPU_RAM_BYTES, maxStack(d.perStep()));
        y.setRange(0, top * 1.08);
        if (top > 2 * MemoryChartData.KPU_RAM_BYTES) {
            kib(y, 1024);
        }
        // the legend says what the colours are: both series, and red only when a row is drawn red
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(new LegendItem(MemoryChartData.INPUT, INPUT));
        legend.add(new LegendItem(MemoryChartData.OUTPUT, OUTPUT));
        if (!guiltyColumns.isEmpty()) {
            legend.add(new LegendItem("does not fit (the layer the compiler names)", GUILTY));
        }
        plot.setFixedLegendItems(legend);
        JFreeChart c = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
        return c;
    }

    private static double maxStack(CategoryDataset ds) {
        double top = 0;
        for (int c = 0; c < ds.getColumnCount(); c++) {
            double sum = 0;
            for (int row = 0; row < ds.getRowCount(); row++) {
                Number v = ds.getValue(row, c);
                sum += v == null ? 0 : v.doubleValue();
            }
            top = Math.max(top, sum);
        }
        return top;
    }

    /** Every KPU buffer as a block of addresses over the steps it is live, and the 2 MiB top. */
    public static JFreeChart timeline(MemoryChartData d) {
        NumberAxis x = new NumberAxis("step");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis("KPU RAM address (KiB)");
        kib(y, 256);
        XYBarRenderer r = new XYBarRenderer();
        r.setUseYInterval(true);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(true);
        r.setSeriesPaint(0, new Color(0x7e57c2));
        r.setSeriesOutlinePaint(0, Color.WHITE);
        XYPlot plot = new XYPlot(d.timeline(), x, y, r);
        plot.setDataset(1, d.live());
        XYLineAndShapeRenderer lr = new XYLineAndShapeRenderer(true, false);
        lr.setSeriesPaint(0, new Color(0xfb8c00));
        lr.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRenderer(1, lr);
        ValueMarker top = new ValueMarker(MemoryChartData.KPU_RAM_BYTES, GUILTY, new BasicStroke(2f));
        top.setLabel("2 MiB");
        top.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        top.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(top, Layer.FOREGROUND);
        y.setRange(0, MemoryChartData.KPU_RAM_BYTES * 1.08);
        JFreeChart c = new JFreeChart("KPU RAM timeline (buffers by address; line: live bytes)", JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
        return c;
    }

    /** Main RAM as one stacked bar — weights, tables, the rest of the kmodel, the runtime buffers — against the budget line. */
    public static JFreeChart mainRam(MemoryChartData d) {
        CategoryAxis x = new CategoryAxis(null);
        NumberAxis y = new NumberAxis("main RAM (KiB)");
        kib(y, 512);
        StackedBarRenderer r = new StackedBarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        for (int i = 0; i < MAIN.length; i++) {
            r.setSeriesPaint(i, MAIN[i]);
        }
        r.setMaximumBarWidth(0.6);
        r.setDefaultToolTipGenerator(new StandardCategoryToolTipGenerator("{0}: {2} B", new DecimalFormat("#,##0")));
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2} KiB", kibFormat()));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelPaint(Color.WHITE);
        CategoryPlot plot = new CategoryPlot(d.mainRam(), x, y, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        boolean fits = d.mainTotal() <= d.budgetBytes();
        ValueMarker budget = new ValueMarker(d.budgetBytes(), fits ? new Color(0x2e7d32) : GUILTY, new BasicStroke(2.5f));
        budget.setLabel("budget: " + d.budgetLabel());
        budget.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        budget.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addRangeMarker(budget, Layer.FOREGROUND);
        double top = Math.max(d.budgetBytes(), d.mainTotal()) * 1.12;
        y.setRange(0, top);
        if (top > 12 * 1024 * 1024) {
            kib(y, 2048);
        }
        JFreeChart c = new JFreeChart(String.format(java.util.Locale.ROOT, "Main RAM %,d KiB of %,d KiB (%s)", d.mainTotal() / 1024,
                d.budgetBytes() / 1024, d.budgetLabel()), JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
        return c;
    }
}
