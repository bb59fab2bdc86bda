package k210studio.app.export;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
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

/** The three memory charts of the export wizard, drawn from a {@link MemoryChartData}. */
public final class MemoryCharts {
    private static final Color INPUT = new Color(0x1e88e5);
    private static final Color OUTPUT = new Color(0x43a047);
    private static final Color GUILTY = new Color(0xe53935);

    private MemoryCharts() {
    }

    /** Axis ticks every {@code step} KiB, labelled in KiB. */
    private static void kib(NumberAxis axis, int step) {
        java.text.DecimalFormat f = new java.text.DecimalFormat("#,##0") {
            @Override
            public StringBuffer format(double number, StringBuffer toAppendTo, java.text.FieldPosition pos) {
                return super.format(number / 1024, toAppendTo, pos);
            }
        };
        axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(step * 1024.0, f));
    }

    /** Per-step KPU RAM, input and output stacked, with the 2 MiB line; the guilty layer's columns in red. */
    public static JFreeChart perLayer(MemoryChartData d, Set<String> guiltyColumns, String title) {
        CategoryAxis x = new CategoryAxis("step / layer");
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        x.setMaximumCategoryLabelWidthRatio(0.7f);
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
        CategoryPlot plot = new CategoryPlot(d.perStep(), x, y, r);
        ValueMarker limit = new ValueMarker(MemoryChartData.KPU_RAM_BYTES, GUILTY, new BasicStroke(2f));
        limit.setLabel("2 MiB KPU RAM");
        limit.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        limit.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(limit, Layer.FOREGROUND);
        double top = MemoryChartData.KPU_RAM_BYTES;
        for (int c = 0; c < d.perStep().getColumnCount(); c++) {
            double sum = 0;
            for (int row = 0; row < d.perStep().getRowCount(); row++) {
                Number v = d.perStep().getValue(row, c);
                sum += v == null ? 0 : v.doubleValue();
            }
            top = Math.max(top, sum);
        }
        y.setRange(0, top * 1.08);
        if (top > 2 * MemoryChartData.KPU_RAM_BYTES) {
            kib(y, 1024);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart c = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
        c.setBackgroundPaint(Color.WHITE);
        return c;
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
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart c = new JFreeChart("KPU RAM timeline (buffers by address; line: live bytes)", JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
        c.setBackgroundPaint(Color.WHITE);
        return c;
    }

    /** Main RAM: the kmodel (weights, tables) and the runtime buffers, against the firmware budget line. */
    public static JFreeChart mainRam(MemoryChartData d) {
        CategoryAxis x = new CategoryAxis("");
        NumberAxis y = new NumberAxis("bytes (KiB)");
        kib(y, 512);
        StackedBarRenderer r = new StackedBarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(0x546e7a));
        r.setSeriesPaint(1, new Color(0xffb300));
        r.setMaximumBarWidth(0.3);
        CategoryPlot plot = new CategoryPlot(d.mainRam(), x, y, r);
        boolean fits = d.mainTotal() <= d.budgetBytes();
        ValueMarker budget = new ValueMarker(d.budgetBytes(), fits ? new Color(0x2e7d32) : GUILTY, new BasicStroke(2f));
        budget.setLabel("budget: " + d.budgetLabel());
        budget.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        budget.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(budget, Layer.FOREGROUND);
        double top = Math.max(d.budgetBytes(), d.mainTotal()) * 1.12;
        y.setRange(0, top);
        if (top > 12 * 1024 * 1024) {
            kib(y, 2048);
        }
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart c = new JFreeChart("Main RAM vs firmware budget", JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
        c.setBackgroundPaint(Color.WHITE);
        return c;
    }
}
