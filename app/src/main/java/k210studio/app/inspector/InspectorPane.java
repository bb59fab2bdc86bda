package k210studio.app.inspector;

import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import k210studio.app.model.Analysis;
import k210studio.app.model.EditorModel;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.rules.Target;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * The selected layer's name and parameters as a form. Each field is checked when it is committed
 * (Enter, leaving the field, or picking a value): an invalid value is refused with the layer's own
 * message and the graph stays as it was; a valid one becomes an undoable command. Below the form:
 * shapes in and out, the weights, and the verdicts for V3 and V4 with their reasons.
 */
public final class InspectorPane extends ScrollPane {
    private final EditorModel model;
    private final VBox content = new VBox(8);
    private final Label error = new Label();
    private String shownId;
    private LayerParams shownParams;
    private String shownName;
    private int shownRevision = -1;

    public InspectorPane(EditorModel model) {
        this.model = model;
        setId("inspector");
        getStyleClass().add("inspector");
        setFitToWidth(true);
        content.setPadding(new Insets(10));
        setContent(content);
        error.setId("inspector-error");
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        model.revisionProperty().addListener((o, a, b) -> rebuild(false));
        model.selection().addListener((javafx.collections.SetChangeListener<String>) c -> rebuild(false));
        rebuild(true);
    }

    private void rebuild(boolean force) {
        String id = model.selectedId();
        Graph g = model.graph();
        Layer l = id != null && g.contains(id) ? g.layer(id) : null;
        boolean same = l != null && id.equals(shownId) && l.params().equals(shownParams) && l.name().equals(shownName);
        if (!force && same && shownRevision == model.revisionProperty().get()) {
            return;
        }
        shownRevision = model.revisionProperty().get();
        String keepError = same ? error.getText() : "";
        content.getChildren().clear();
        shownId = id;
        shownParams = l == null ? null : l.params();
        shownName = l == null ? null : l.name();
        if (l == null) {
            Label hint = new Label(model.selection().size() > 1
                    ? model.selection().size() + " layers selected. Del removes them; drag one to move them all."
                    : "Select a layer to edit its parameters.\n\nDrag layers from the palette onto the canvas; drag from a layer's bottom port to another layer to connect them.");
            hint.setWrapText(true);
            hint.getStyleClass().add("muted");
            content.getChildren().addAll(header("Inspector"), hint);
            return;
        }
        content.getChildren().add(header(l.params().kerasName()));
        if (l.name().length() > 28) {
            // a long (TFLite) name is shortened on the canvas and clipped in the field: here it is whole
            Label full = new Label(l.name());
            full.setId("inspector-full-name");
            full.setWrapText(true);
            full.getStyleClass().add("muted");
            content.getChildren().add(full);
        }
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(5);
        ColumnConstraints c0 = new ColumnConstraints();
        c0.setMinWidth(90);
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(c0, c1);
        int row = 0;
        TextField name = new TextField(l.name());
        name.setId("param-name");
        name.setOnAction(e -> commitName(l.id(), name));
        name.focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                commitName(l.id(), name);
            }
        });
        grid.addRow(row++, new Label("name"), name);
        for (ParamForm.Field f : ParamForm.fieldsOf(l.params())) {
            grid.addRow(row++, new Label(f.label()), editor(l.id(), f));
        }
        error.setText(keepError);
        content.getChildren().addAll(grid, error);
        content.getChildren().add(details(l));
    }

    private Node editor(String id, ParamForm.Field f) {
        Class<?> t = f.type();
        if (t == boolean.class || t == Boolean.class) {
            CheckBox cb = new CheckBox();
            cb.setId("param-" + f.name());
            cb.setSelected(Boolean.TRUE.equals(f.value()));
            cb.setOnAction(e -> commit(id, f.name(), cb.isSelected(), cb));
            return cb;
        }
        if (t.isEnum()) {
            ComboBox<String> combo = new ComboBox<>();
            combo.setId("param-" + f.name());
            for (Object c : t.getEnumConstants()) {
                combo.getItems().add(ParamForm.format(c));
            }
            combo.setValue(f.text());
            combo.setMaxWidth(Double.MAX_VALUE);
            combo.setOnAction(e -> {
                if (combo.getValue() != null && !combo.getValue().equals(f.text())) {
                    commit(id, f.name(), combo.getValue(), combo);
                }
            });
            return combo;
        }
        if (t == ActivationFn.class) {
            ComboBox<String> combo = new ComboBox<>();
            combo.setId("param-" + f.name());
            combo.setEditable(true);
            for (ActivationFn.Kind k : ActivationFn.Kind.values()) {
                combo.getItems().add(k == ActivationFn.Kind.LEAKY_RELU ? "leaky_relu(0.1)" : k.keras());
            }
            combo.setValue(f.text());
            combo.setMaxWidth(Double.MAX_VALUE);
            combo.setOnAction(e -> {
                String v = combo.getEditor().getText();
                if (combo.getValue() != null && !combo.getValue().equals(v)) {
                    v = combo.getValue();
                }
                if (v != null && !v.equals(f.text())) {
                    commit(id, f.name(), v, combo);
                }
            });
            return combo;
        }
        TextField tf = new TextField(f.text());
        tf.setId("param-" + f.name());
        if (t == TensorShape.class) {
            tf.setPromptText("e.g. 240×320×3");
        } else if (t == Float.class) {
            tf.setPromptText("none");
        }
        tf.setOnAction(e -> {
            if (!tf.getText().equals(f.text())) {
                commit(id, f.name(), tf.getText(), tf);
            }
        });
        tf.focusedProperty().addListener((o, was, is) -> {
            if (!is && !tf.getText().equals(f.text()) && model.graph().contains(id)) {
                commit(id, f.name(), tf.getText(), tf);
            }
        });
        return tf;
    }

    private void commit(String id, String field, Object value, Node editor) {
        if (!model.graph().contains(id)) {
            return;
        }
        LayerParams now = model.graph().layer(id).params();
        LayerParams next;
        try {
            next = ParamForm.with(now, field, value);
        } catch (IllegalArgumentException e) {
            editor.getStyleClass().add("invalid");
            error.setText(e.getMessage());
            model.error(ParamForm.label(field) + ": " + e.getMessage());
            return;
        }
        error.setText("");
        String refused = model.setParams(id, next);
        if (refused != null) {
            error.setText(refused);
        }
    }

    private void commitName(String id, TextField name) {
        if (model.graph().contains(id) && !name.getText().equals(model.graph().layer(id).name())) {
            String refused = model.rename(id, name.getText().trim());
            if (refused != null) {
                error.setText(model.messageProperty().get());
            }
        }
    }

    private Node details(Layer l) {
        VBox box = new VBox(4);
        Analysis a = model.analysis();
        Graph g = model.graph();
        box.getChildren().add(header("Tensors"));
        List<String> ins = g.inputsOf(l.id());
        for (int i = 0; i < ins.size(); i++) {
            TensorShape s = a.shapes().shape(ins.get(i));
            Label in = new Label("in" + (ins.size() > 1 ? "[" + i + "]" : "") + ": " + (s == null ? "?" : s) + " from " + g.layer(ins.get(i)).name());
            in.setWrapText(true);
            javafx.scene.control.Button cut = new javafx.scene.control.Button("✕");
            cut.setId("disconnect-" + i);
            cut.getStyleClass().add("small");
            cut.setTooltip(new javafx.scene.control.Tooltip("Disconnect this input (undoable)"));
            int port = i;
            cut.setOnAction(e -> model.execute(new k210studio.ir.edit.DisconnectCommand(l.id(), port)));
            javafx.scene.layout.HBox row = new javafx.scene.layout.HBox(6, in, cut);
            row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            box.getChildren().add(row);
        }
        TensorShape out = a.shapes().shape(l.id());
        StringBuilder io = new StringBuilder("out: " + (out == null ? "?" : out));
        String shapeErr = a.shapes().error(l.id());
        if (shapeErr != null) {
            io.append("\n⚠ ").append(shapeErr);
        }
        Label ioLabel = new Label(io.toString());
        ioLabel.setId("inspector-shapes");
        ioLabel.setWrapText(true);
        box.getChildren().add(ioLabel);
        if (!l.weights().isEmpty()) {
            StringBuilder w = new StringBuilder();
            for (Map.Entry<String, Tensor> e : l.weights().entrySet()) {
                w.append(e.getKey()).append(": ").append(java.util.Arrays.stream(e.getValue().shape()).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining("×"))).append('\n');
            }
            box.getChildren().addAll(header("Weights"), new Label(w.toString().trim()));
        }
        box.getChildren().add(header("K210"));
        for (Target t : Target.values()) {
            String v = a.verdictLabel(l.id(), t);
            String r = a.verdictReason(l.id(), t);
            Label lv = new Label(t.label() + ": " + (v == null ? "—" : v) + (r == null || r.isEmpty() ? "" : " — " + r));
            lv.setWrapText(true);
            lv.setId("inspector-verdict-" + t.name());
            box.getChildren().add(lv);
        }
        if (!l.notes().isEmpty()) {
            StringBuilder n = new StringBuilder();
            l.notes().forEach((k, v) -> n.append(k).append(": ").append(v).append('\n'));
            Label notes = new Label(n.toString().trim());
            notes.setWrapText(true);
            box.getChildren().addAll(header("Notes"), notes);
        }
        return box;
    }

    private static Label header(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section-header");
        return l;
    }
}
