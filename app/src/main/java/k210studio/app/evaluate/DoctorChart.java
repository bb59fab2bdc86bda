package k210studio.app.evaluate;

import java.awt.Color;
import k210studio.converter.evaluate.doctor.DoctorReport;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;

/** The Doctor tab's bar chart: mean SNR (dB) of each layer's K210 output against float. */
final class DoctorChart {
    private DoctorChart() {
    }

    static JFreeChart chart(DoctorReport d) {
        CategoryAxis x = new CategoryAxis("kmodel layer");
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis y = new NumberAxis("mean SNR dB (higher is closer to float)");
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(0x8e24aa));
        CategoryPlot plot = new CategoryPlot(DoctorRows.snr(d), x, y, r);
        String title = d == null ? "Per-layer error — tick \"Quantization doctor\" and run on a model compiled from the project"
                : "Per-layer error vs float over " + d.images() + " images";
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, false);
    }
}
