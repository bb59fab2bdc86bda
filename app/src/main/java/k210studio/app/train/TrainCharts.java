package k210studio.app.train;

import java.awt.BasicStroke;
import java.awt.Color;
import k210studio.converter.train.EpochStats;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The Train window's two charts — loss (train, validation) and accuracy (train, validation, K210) per epoch. */
final class TrainCharts {
    final XYSeries trainLoss = new XYSeries("train");
    final XYSeries valLoss = new XYSeries("validation");
    final XYSeries trainAcc = new XYSeries("train");
    final XYSeries valAcc = new XYSeries("validation");
    final XYSeries k210Acc = new XYSeries("K210");
    final JFreeChart loss;
    final JFreeChart accuracy;

    TrainCharts() {
        loss = chart("Loss (cross-entropy)", "loss", false, trainLoss, valLoss);
        accuracy = chart("Accuracy", "top-1 %", true, trainAcc, valAcc, k210Acc);
    }

    private static JFreeChart chart(String title, String yLabel, boolean percent, XYSeries... series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis("epoch");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(yLabel);
        if (percent) {
            y.setRange(0, 100);
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        Color[] colors = {new Color(0x1e88e5), new Color(0xfb8c00), new Color(0x43a047)};
        for (int i = 0; i < series.length; i++) {
            r.setSeriesPaint(i, colors[i]);
            r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-4 - i, -4 - i, 8 + 2 * i, 8 + 2 * i));
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
    }

    void clear() {
        for (XYSeries s : new XYSeries[] {trainLoss, valLoss, trainAcc, valAcc, k210Acc}) {
            s.clear();
        }
    }

    void add(EpochStats s) {
        trainLoss.add(s.epoch(), s.trainLoss());
        trainAcc.add(s.epoch(), 100 * s.trainAccuracy());
        if (!Double.isNaN(s.valAccuracy())) {
            valLoss.add(s.epoch(), s.valLoss());
            valAcc.add(s.epoch(), 100 * s.valAccuracy());
        }
        if (s.k210() != null) {
            k210Acc.add(s.epoch(), 100 * s.k210().accuracy());
        }
    }
}
