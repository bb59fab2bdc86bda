package k210studio.app.export;

import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import k210studio.ir.rules.Target;

/** Page 3: KPU weight bits (16 only for V3) and the Dense-on-KPU threshold. */
final class QuantizationPage extends VBox {
    QuantizationPage(ExportViewModel vm) {
        super(10);
        ComboBox<Integer> bits = new ComboBox<>();
        bits.getItems().addAll(8, 16);
        bits.setId("export-weight-bits");
        bits.valueProperty().bindBidirectional(vm.weightBitsProperty());
        bits.disableProperty().bind(vm.targetProperty().isEqualTo(Target.V4));
        Spinner<Integer> dense = new Spinner<>(1, 1 << 24, vm.denseThresholdProperty().get(), 256);
        dense.setEditable(true);
        dense.setId("export-dense-threshold");
        dense.getValueFactory().valueProperty().bindBidirectional(vm.denseThresholdProperty());
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(10);
        g.addRow(0, new Label("KPU weight bits"), bits, WizardPages.wrap("8 (default) or 16 — 16-bit weights exist in kmodel V3 only "
                + "(ncc --weights-bits 16); twice the weight memory, slower."));
        g.addRow(1, new Label("Dense on the KPU from"), dense, WizardPages.wrap("weights; smaller Dense layers run in float on the CPU "
                + "(nncase's threshold: 1024)."));
        getChildren().add(g);
    }
}
