package k210studio.app.simulate;

import java.awt.Color;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** The bar chart of estimated on-chip time per layer (ms at 400 MHz), KPU and CPU layers in two colours, total in the title. */
public final class CycleChart {
    public static final String KPU = "KPU";
    public static final String CPU = "CPU";

    private CycleChart() {
    }

    /** Column key of a row: "index type". */
    public static String key(LayerRow r) {
        return String.format(Locale.ROOT, "%02d %s", r.index(), r.layer() != null ? r.layer() : r.type());
    }

    public static DefaultCategoryDataset dataset(List<LayerRow> rows) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (LayerRow r : rows) {
            boolean kpu = r.unit().equals("KPU");
            d.addValue(kpu ? r.millis() : 0, KPU, key(r));
            d.addValue(kpu ? 0 : r.millis(), CPU, key(r));
        }
        return d;
    }

    /** The chart before a run: no bars, a title that says what will be here. */
    public static JFreeChart empty() {
        JFreeChart c = chart(List.of(), 0);
        c.setTitle("Estimated time per layer — press Run");
        return c;
    }

    public static JFreeChart chart(List<LayerRow> rows, double totalMillis) {
        DefaultCategoryDataset d = dataset(rows);
        CategoryAxis x = new CategoryAxis("layer");
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        x.setMaximumCategoryLabelWidthRatio(0.6f);
        NumberAxis y = new NumberAxis("estimated ms (400 MHz)");
        StackedBarRenderer r = new StackedBarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(0x2e7d32));
        r.setSeriesPaint(1, new Color(0xef6c00));
        CategoryPlot plot = new CategoryPlot(d, x, y, r);
        JFreeChart c = new JFreeChart(String.format(Locale.ROOT, "Estimated time per layer — total %.2f ms", totalMillis),
                JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
        return c;
    }
}
