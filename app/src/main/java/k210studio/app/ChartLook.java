package k210studio.app;

import java.awt.Color;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;

/**
 * The colours of the studio's JFreeChart charts (memory, time per layer, training) in the light or the dark
 * {@link Theme}: backgrounds, titles, legend, axes, tick labels, grid lines and marker labels. The data colours stay
 * as each chart chose them — they read on both backgrounds. A {@link #follow followed} viewer recolours its chart
 * when the theme changes.
 */
public final class ChartLook {
    private static final String LISTENER_KEY = ChartLook.class.getName();

    /** One theme's chart colours. */
    private record Palette(Color background, Color plot, Color text, Color muted, Color grid) {
    }

    private static final Palette LIGHT = new Palette(Color.WHITE, Color.WHITE, new Color(0x1f2328), new Color(0x57606a), new Color(0xdddddd));
    private static final Palette DARK = new Palette(new Color(0x0d1117), new Color(0x161b22), new Color(0xe6edf3), new Color(0x9da7b3),
            new Color(0x30363d));

    private ChartLook() {
    }

    /** Colours the chart for the current theme and returns it. */
    public static JFreeChart apply(JFreeChart chart) {
        Palette p = Theme.isDark() ? DARK : LIGHT;
        chart.setBackgroundPaint(p.background());
        if (chart.getTitle() != null) {
            chart.getTitle().setPaint(p.text());
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t instanceof LegendTitle legend) {
                legend.setBackgroundPaint(p.background());
                legend.setItemPaint(p.text());
            } else if (t instanceof TextTitle text) {
                text.setPaint(p.text());
            }
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(p.plot());
        plot.setOutlinePaint(p.grid());
        if (plot instanceof CategoryPlot c) {
            c.setRangeGridlinePaint(p.grid());
            c.setDomainGridlinePaint(p.grid());
            axis(c.getDomainAxis(), p);
            for (int i = 0; i < c.getRangeAxisCount(); i++) {
                axis(c.getRangeAxis(i), p);
            }
            markers(c.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND), p.text());
        } else if (plot instanceof XYPlot x) {
            x.setRangeGridlinePaint(p.grid());
            x.setDomainGridlinePaint(p.grid());
            for (int i = 0; i < x.getDomainAxisCount(); i++) {
                axis(x.getDomainAxis(i), p);
            }
            for (int i = 0; i < x.getRangeAxisCount(); i++) {
                axis(x.getRangeAxis(i), p);
            }
            markers(x.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND), p.text());
        }
        return chart;
    }

    /** Shows the chart in a viewer that recolours whatever chart it holds when the theme changes. */
    public static ChartViewer viewer(JFreeChart chart) {
        ChartViewer v = new ChartViewer(apply(chart));
        follow(v);
        return v;
    }

    /** Recolours the viewer's chart now and at every theme change, for as long as the viewer lives. */
    public static void follow(ChartViewer v) {
        if (v.getProperties().containsKey(LISTENER_KEY)) {
            return;
        }
        ChangeListener<Boolean> l = (o, a, b) -> {
            if (v.getChart() != null) {
                apply(v.getChart());
            }
        };
        v.getProperties().put(LISTENER_KEY, l); // the viewer holds the listener; the theme only a weak reference
        Theme.darkProperty().addListener(new WeakChangeListener<>(l));
        if (v.getChart() != null) {
            apply(v.getChart());
        }
    }

    private static void axis(Axis a, Palette p) {
        if (a == null) {
            return;
        }
        a.setLabelPaint(p.text());
        a.setTickLabelPaint(p.muted());
        a.setAxisLinePaint(p.muted());
        a.setTickMarkPaint(p.muted());
    }

    private static void markers(java.util.Collection<?> markers, Color text) {
        if (markers == null) {
            return;
        }
        for (Object m : markers) {
            ((Marker) m).setLabelPaint(text);
        }
    }
}
