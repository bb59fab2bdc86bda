package k210studio.app;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.StringConverter;
import k210studio.app.files.DocumentController;
import k210studio.app.model.Analysis;
import k210studio.app.model.EditorModel;
import k210studio.ir.rules.KpuLayout;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.MemoryEstimate;

/** Bottom line of the window: last message, background progress, layer and parameter counts, KPU peak and main RAM against the budget. */
final class StatusBar extends HBox {
    private final EditorModel model;
    private final Label message = new Label();
    private final Label counts = new Label();
    private final Label kpu = new Label();
    private final Label main = new Label();

    StatusBar(EditorModel model, DocumentController docs) {
        this.model = model;
        setId("status-bar");
        getStyleClass().add("status-bar");
        setSpacing(14);
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(3, 10, 3, 10));
        message.setId("status-message");
        message.textProperty().bind(model.messageProperty());
        model.messageIsErrorProperty().addListener((o, a, b) -> {
            message.getStyleClass().remove("error");
            if (b) {
                message.getStyleClass().add("error");
            }
        });
        message.setMaxWidth(Double.MAX_VALUE);
        message.setMinWidth(100);
        HBox.setHgrow(message, Priority.ALWAYS);
        ProgressIndicator progress = new ProgressIndicator();
        progress.setId("busy-indicator");
        progress.setPrefSize(16, 16);
        progress.visibleProperty().bind(docs.busyProperty());
        progress.managedProperty().bind(docs.busyProperty());
        Label busy = new Label();
        busy.textProperty().bind(docs.busyTextProperty());
        busy.visibleProperty().bind(docs.busyProperty());
        busy.managedProperty().bind(docs.busyProperty());
        counts.setId("status-counts");
        kpu.setId("status-kpu");
        main.setId("status-main");
        ComboBox<MemoryBudget> budget = new ComboBox<>();
        budget.setId("budget");
        budget.getItems().addAll(MemoryBudget.values());
        budget.valueProperty().bindBidirectional(model.budgetProperty());
        budget.setConverter(new StringConverter<>() {
            @Override
            public String toString(MemoryBudget b) {
                return b == null ? "" : "Firmware: " + b.label();
            }

            @Override
            public MemoryBudget fromString(String s) {
                return null;
            }
        });
        budget.setTooltip(new Tooltip("How much main RAM the firmware leaves for the model"));
        budget.getStyleClass().add("small");
        budget.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        for (Label l : new Label[] {counts, kpu, main}) {
            l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        getChildren().addAll(message, progress, busy, counts, kpu, main, budget);
        model.revisionProperty().addListener((o, a, b) -> refresh());
        refresh();
    }

    private void refresh() {
        Analysis a = model.analysis();
        counts.setText(model.graph().size() + " layers · " + String.format("%,d", a.parameters()) + " parameters");
        MemoryEstimate m = a.memory();
        kpu.getStyleClass().remove("error");
        main.getStyleClass().remove("error");
        if (m == null) {
            kpu.setText("KPU RAM —");
            main.setText("Main RAM —");
            return;
        }
        kpu.setText("KPU peak " + mib(m.kpuPeakBytes()) + " / " + mib(KpuLayout.KPU_RAM_BYTES));
        kpu.setTooltip(new Tooltip("Largest input + output feature maps of one KPU layer"
                + (m.kpuPeakLayer() != null ? " (" + m.kpuPeakLayer() + ")" : "") + ", in 64-byte lines"));
        if (m.kpuPeakBytes() > KpuLayout.KPU_RAM_BYTES) {
            kpu.getStyleClass().add("error");
        }
        main.setText("Main RAM " + mib(m.mainBytes()) + " / " + mib(m.budget().bytes()));
        main.setTooltip(new Tooltip("weights " + mib(m.weightBytes()) + " + tables " + mib(m.tableBytes()) + " + CPU buffers "
                + mib(m.cpuBufferBytes()) + "\nBudget: " + m.budget().source()));
        if (m.mainBytes() > m.budget().bytes()) {
            main.getStyleClass().add("error");
        }
    }

    static String mib(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format("%.0f KiB", bytes / 1024.0);
        }
        return String.format("%.2f MiB", bytes / (1024.0 * 1024.0));
    }
}
