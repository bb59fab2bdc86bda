package k210studio.app.simulate;

import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

/** One row per kmodel layer (V3) or node (V4): where it ran, how close to float, its estimated time; rows below cosine 0.9 red. */
final class LayerTableView extends TableView<LayerRow> {
    LayerTableView(SimulateViewModel vm) {
        super(vm.rows());
        setId("sim-layers");
        setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        getColumns().add(column("#", r -> Integer.toString(r.index()), 36));
        getColumns().add(column("kmodel layer", LayerRow::type, 130));
        getColumns().add(column("IR layer", r -> r.layer() == null ? "" : r.layer(), 120));
        getColumns().add(column("verdict / unit", LayerRow::verdict, 80));
        getColumns().add(column("cosine", r -> r.compared() ? String.format(Locale.ROOT, "%.4f", r.cosine()) : "", 60));
        getColumns().add(column("max |Δ|", r -> r.compared() ? String.format(Locale.ROOT, "%.4g", r.maxAbs()) : "", 60));
        getColumns().add(column("cycles", r -> r.cycles() == 0 ? "" : Long.toString(r.cycles()), 70));
        getColumns().add(column("ms", r -> r.cycles() == 0 ? "" : String.format(Locale.ROOT, "%.3f", r.millis()), 55));
        setPlaceholder(new Label("Run to see every layer: where it ran, how close it is to float, its estimated time."));
        setRowFactory(tv -> new TableRow<>() {
            @Override
            protected void updateItem(LayerRow item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().remove("sim-bad-row");
                if (item != null && item.compared() && item.cosine() < 0.9) {
                    getStyleClass().add("sim-bad-row");
                }
            }
        });
        getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedRowProperty().set(b));
    }

    private static TableColumn<LayerRow, String> column(String title, Function<LayerRow, String> f, double w) {
        TableColumn<LayerRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new SimpleStringProperty(f.apply(cd.getValue())));
        c.setPrefWidth(w);
        c.setSortable(false);
        return c;
    }
}
