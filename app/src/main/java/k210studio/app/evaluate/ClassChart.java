package k210studio.app.evaluate;

import java.awt.Color;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** The Evaluate window's bar chart: top-1 accuracy per class, float and K210 side by side (percent). */
final class ClassChart {
    static final String FLOAT = "float";
    static final String K210 = "K210";

    private ClassChart() {
    }

    /** Rows "float" and "K210", one column per class (named "index name" so equal names stay apart). */
    static DefaultCategoryDataset dataset(List<EvalFigures.ClassRow> rows) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (EvalFigures.ClassRow r : rows) {
            String key = rows.stream().filter(o -> o.name().equals(r.name())).count() > 1 ? r.index() + " " + r.name() : r.name();
            d.addValue(100 * r.floatAccuracy(), FLOAT, key);
            d.addValue(100 * r.k210Accuracy(), K210, key);
        }
        return d;
    }

    static JFreeChart chart(List<EvalFigures.ClassRow> rows, String target) {
        CategoryAxis x = new CategoryAxis("class");
        if (rows.size() > 12) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        }
        x.setMaximumCategoryLabelWidthRatio(0.8f);
        NumberAxis y = new NumberAxis("top-1 accuracy %");
        y.setRange(0, 100);
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        r.setSeriesPaint(0, new Color(0x1e88e5));
        r.setSeriesPaint(1, new Color(0x43a047));
        CategoryPlot plot = new CategoryPlot(dataset(rows), x, y, r);
        String title = rows.isEmpty() ? "Accuracy per class — run an evaluation on labelled class folders"
                : "Accuracy per class — float vs K210" + (target == null ? "" : " " + target);
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
    }
}
