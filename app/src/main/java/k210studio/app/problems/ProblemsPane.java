package k210studio.app.problems;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import k210studio.app.model.EditorModel;
import k210studio.app.model.Problem;
import k210studio.ir.rules.Verdict;

/**
 * Every rule finding for the current target: verdict, layer, rule, reason, and a Fix button that
 * applies the checker's repair as one undoable step. "Fix all" applies every fix the checker offers
 * until none is left. Clicking a row selects the layer on the canvas.
 */
public final class ProblemsPane extends VBox {
    private final EditorModel model;
    private final TableView<Problem> table = new TableView<>();
    private final Label summary = new Label();
    private final CheckBox showCpu = new CheckBox("Show CPU and KPU+CPU notes");
    private final Button fixAll = new Button("Fix all");
    private Runnable onReveal = () -> { };

    public ProblemsPane(EditorModel model) {
        this.model = model;
        setId("problems");
        getStyleClass().add("problems");
        summary.setId("problems-summary");
        summary.getStyleClass().add("section-header");
        fixAll.setId("fix-all");
        fixAll.setOnAction(e -> model.fixAll());
        showCpu.setSelected(true);
        showCpu.selectedProperty().addListener((o, a, b) -> refresh());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(10, summary, grow, showCpu, fixAll);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));

        TableColumn<Problem, Verdict> verdict = new TableColumn<>("Verdict");
        verdict.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().verdict()));
        verdict.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Verdict v, boolean empty) {
                super.updateItem(v, empty);
                getStyleClass().removeIf(s -> s.startsWith("cell-v-"));
                if (empty || v == null) {
                    setText(null);
                } else {
                    setText(v.display());
                    getStyleClass().add("cell-v-" + v.name().toLowerCase());
                }
            }
        });
        verdict.setPrefWidth(140);
        verdict.setMinWidth(135);
        TableColumn<Problem, String> layer = new TableColumn<>("Layer");
        layer.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().layerName() == null ? "(model)"
                : c.getValue().layerName() + " (" + c.getValue().type() + ")"));
        layer.setPrefWidth(210);
        TableColumn<Problem, String> rule = new TableColumn<>("Rule");
        rule.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().rule() == null ? "" : c.getValue().rule().id()));
        rule.setPrefWidth(60);
        TableColumn<Problem, String> reason = new TableColumn<>("Reason");
        reason.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().reason()));
        reason.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                setTooltip(empty || s == null ? null : new Tooltip(s));
            }
        });
        reason.setPrefWidth(500);
        TableColumn<Problem, Problem> fix = new TableColumn<>("Fix");
        fix.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        fix.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Problem p, boolean empty) {
                super.updateItem(p, empty);
                setText(null);
                if (empty || p == null || p.fix() == null) {
                    setGraphic(null);
                    return;
                }
                Button b = new Button("Fix");
                b.setId("fix-" + p.layerId());
                b.getStyleClass().add("fix-button");
                b.setTooltip(new Tooltip(p.fix().title() + (p.fix().warning() != null ? "\n⚠ " + p.fix().warning() : "")));
                b.setOnAction(e -> model.applyFix(p.fix()));
                setGraphic(b);
            }
        });
        fix.setPrefWidth(70);
        table.getColumns().add(verdict);
        table.getColumns().add(fix);
        table.getColumns().add(layer);
        table.getColumns().add(rule);
        table.getColumns().add(reason);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No problems: every layer runs on the KPU for this target."));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> {
            if (p != null && p.layerId() != null && model.graph().contains(p.layerId())) {
                model.select(p.layerId());
                onReveal.run();
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(bar, table);
        model.revisionProperty().addListener((o, a, b) -> refresh());
        refresh();
    }

    /** Called after a row click selected a layer (the window scrolls the canvas to it). */
    public void setOnReveal(Runnable r) {
        onReveal = r;
    }

    public TableView<Problem> table() {
        return table;
    }

    private void refresh() {
        var all = model.analysis().problems();
        var shown = FXCollections.<Problem>observableArrayList();
        int unsupported = 0;
        int fixable = 0;
        for (Problem p : all) {
            if (p.verdict() == Verdict.UNSUPPORTED) {
                unsupported++;
            }
            if (p.fix() != null) {
                fixable++;
            }
            if (showCpu.isSelected() || p.verdict() == Verdict.UNSUPPORTED || p.fix() != null || p.layerId() == null) {
                shown.add(p);
            }
        }
        table.setItems(shown);
        String t = model.target().label();
        summary.setText(unsupported == 0
                ? "Problems · " + t + ": converts" + (all.isEmpty() ? "" : " (" + all.size() + " notes)")
                : "Problems · " + t + ": " + unsupported + " layer(s) block conversion");
        summary.getStyleClass().removeAll("bad", "good");
        summary.getStyleClass().add(unsupported == 0 ? "good" : "bad");
        fixAll.setText("Fix all (" + t + ")");
        fixAll.setDisable(fixable == 0);
    }
}
