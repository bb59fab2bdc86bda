package k210studio.app.export;

import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import k210studio.app.ChartLook;
import k210studio.app.Theme;
import k210studio.ir.rules.MemoryBudget;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;

/**
 * Page 4: the firmware preset, the fit message, and the memory charts of the compile (KPU RAM per step, the KPU RAM
 * timeline, main RAM against the budget) — or, when the compile stopped, the checker's estimate with the layer red.
 */
final class MemoryPage extends VBox {
    private final ExportViewModel vm;
    private final VBox charts = new VBox(8);
    private final Label message = new Label();
    private ChartViewer perLayer;
    private ChartViewer timeline;
    private ChartViewer mainRam;

    MemoryPage(ExportViewModel vm) {
        super(8);
        this.vm = vm;
        ComboBox<MemoryBudget> budget = new ComboBox<>();
        budget.getItems().addAll(MemoryBudget.values());
        budget.setId("export-budget");
        budget.setConverter(new StringConverter<>() {
            @Override
            public String toString(MemoryBudget b) {
                return b == null ? "" : String.format(Locale.ROOT, "%s — %,d B", b.label(), b.bytes());
            }

            @Override
            public MemoryBudget fromString(String s) {
                return null;
            }
        });
        budget.valueProperty().bindBidirectional(vm.budgetProperty());
        HBox top = new HBox(8, new Label("Firmware preset"), budget);
        top.setAlignment(Pos.CENTER_LEFT);
        Label src = WizardPages.wrap(vm.budgetProperty().get().source());
        vm.budgetProperty().addListener((o, a, b) -> src.setText(b == null ? "" : b.source()));
        message.setId("export-memory-message");
        message.setWrapText(true);
        getChildren().addAll(top, src, message, charts);
        vm.memoryProperty().addListener((o, a, b) -> show(b));
        show(vm.memoryProperty().get());
    }

    ChartViewer perLayerChart() {
        return perLayer;
    }

    ChartViewer timelineChart() {
        return timeline;
    }

    ChartViewer mainRamChart() {
        return mainRam;
    }

    private void show(MemoryView m) {
        if (m.data() == null) {
            charts.getChildren().setAll(new Label(m.message()));
            message.setText("");
            return;
        }
        message.setText(m.message());
        Theme.verdict(message, m.fits());
        if (!m.failed()) {
            perLayer = viewer(MemoryCharts.perLayer(m.data(), m.guilty(), "KPU RAM per step (input + output)"), "export-chart-kpu");
            perLayer.setPrefHeight(MemoryCharts.perLayerHeight(m.data()));
            timeline = viewer(MemoryCharts.timeline(m.data()), "export-chart-timeline");
            mainRam = viewer(MemoryCharts.mainRam(m.data()), "export-chart-main");
            mainRam.setPrefHeight(170);
            mainRam.setMinHeight(150);
            charts.getChildren().setAll(mainRam, perLayer, timeline);
        } else {
            perLayer = viewer(MemoryCharts.perLayer(m.data(), m.guilty(), "KPU RAM per layer (checker's estimate; the compile stopped)"),
                    "export-chart-kpu");
            perLayer.setPrefHeight(MemoryCharts.perLayerHeight(m.data()));
            mainRam = viewer(MemoryCharts.mainRam(m.data()), "export-chart-main");
            timeline = null;
            mainRam.setPrefHeight(170);
            mainRam.setMinHeight(150);
            charts.getChildren().setAll(mainRam, perLayer);
        }
    }

    private static ChartViewer viewer(JFreeChart c, String id) {
        ChartViewer v = ChartLook.viewer(c);
        v.setId(id);
        v.setPrefHeight(300);
        v.setMinHeight(240);
        return v;
    }
}
