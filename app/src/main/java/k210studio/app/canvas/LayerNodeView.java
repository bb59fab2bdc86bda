package k210studio.app.canvas;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;
import javafx.scene.shape.SVGPath;
import javafx.util.Duration;
import k210studio.app.layout.LayeredLayout;
import k210studio.ir.graph.Layer;

/**
 * One layer on the canvas: a box with the layer's name, type and parameters, a verdict badge
 * (colour + icon + text) for the current target, an input port on top and an output port at
 * the bottom. Hovering shows the verdict's reason.
 */
public final class LayerNodeView extends Pane {
    static final double W = LayeredLayout.NODE_W;
    static final double H = LayeredLayout.NODE_H;
    private static final double PORT_R = 6;

    private final String layerId;
    private final Rectangle box = new Rectangle(W, H);
    private final Label title = new Label();
    private final Label subtitle = new Label();
    private final Label badgeText = new Label();
    private final SVGPath badgeIcon = new SVGPath();
    private final HBox badge = new HBox(3, badgeIcon, badgeText);
    private final Circle inPort = new Circle(PORT_R);
    private final Circle outPort = new Circle(PORT_R);
    private final Tooltip tooltip = new Tooltip();
    private String verdict;

    LayerNodeView(String layerId) {
        this.layerId = layerId;
        setId("layer-" + layerId);
        getStyleClass().add("layer-node");
        setPrefSize(W, H);
        setMinSize(W, H);
        setMaxSize(W, H);
        box.setArcWidth(12);
        box.setArcHeight(12);
        box.getStyleClass().add("layer-box");
        title.getStyleClass().add("layer-title");
        subtitle.getStyleClass().add("layer-subtitle");
        title.setMaxWidth(W - 84);
        subtitle.setMaxWidth(W - 16);
        badge.setId("badge-" + layerId);
        badge.getStyleClass().add("verdict-badge");
        badge.setAlignment(Pos.CENTER);
        badge.setPadding(new Insets(1, 6, 1, 5));
        badgeText.getStyleClass().add("verdict-text");
        badgeIcon.getStyleClass().add("verdict-icon");
        VBox text = new VBox(1, title, subtitle);
        text.setLayoutX(9);
        text.setLayoutY(5);
        text.setMouseTransparent(true);
        badge.setMouseTransparent(true);
        inPort.setId("in-" + layerId);
        outPort.setId("out-" + layerId);
        inPort.getStyleClass().addAll("port", "in-port");
        outPort.getStyleClass().addAll("port", "out-port");
        inPort.setCenterX(W / 2);
        inPort.setCenterY(0);
        outPort.setCenterX(W / 2);
        outPort.setCenterY(H);
        getChildren().addAll(box, text, badge, inPort, outPort);
        tooltip.setShowDelay(Duration.millis(300));
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(460);
        Tooltip.install(this, tooltip);
    }

    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        badge.autosize();
        badge.relocate(W - badge.getWidth() - 6, 6);
    }

    public String layerId() {
        return layerId;
    }

    public Circle inPort() {
        return inPort;
    }

    public Circle outPort() {
        return outPort;
    }

    /** The verdict shown ("KPU", "KPU+CPU", "CPU", "UNSUPPORTED"), or null while unknown. */
    public String verdict() {
        return verdict;
    }

    public String tooltipText() {
        return tooltip.getText();
    }

    void update(Layer layer, String verdictLabel, String hover, boolean shapeError, boolean selected) {
        title.setText(layer.name());
        String sum = LayerText.summary(layer.params());
        subtitle.setText(layer.params().kerasName() + (sum.isEmpty() ? "" : " · " + sum));
        inPort.setVisible(layer.params().maxInputs() > 0);
        this.verdict = verdictLabel;
        getStyleClass().removeIf(s -> s.startsWith("v-") || s.equals("selected") || s.equals("shape-error"));
        String cls = styleClassOf(verdictLabel);
        getStyleClass().add(cls);
        if (selected) {
            getStyleClass().add("selected");
        }
        if (shapeError) {
            getStyleClass().add("shape-error");
        }
        badgeText.setText(verdictLabel == null ? "…" : verdictLabel);
        badgeIcon.setContent(iconOf(verdictLabel));
        tooltip.setText(hover);
        requestLayout();
    }

    static String styleClassOf(String verdict) {
        if (verdict == null) {
            return "v-unknown";
        }
        switch (verdict) {
            case "KPU":
                return "v-kpu";
            case "KPU+CPU":
                return "v-kpu-cpu";
            case "CPU":
                return "v-cpu";
            case "UNSUPPORTED":
                return "v-unsupported";
            default:
                return "v-unknown";
        }
    }

    static String iconOf(String verdict) {
        if (verdict == null) {
            return "M2 5 H8";
        }
        switch (verdict) {
            case "KPU":
                return "M1 5 L4 8 L9 2";          // check mark
            case "KPU+CPU":
                return "M5 1 V9 M1 5 H9";          // plus
            case "CPU":
                return "M2 2 H8 V8 H2 Z";          // chip square
            case "UNSUPPORTED":
                return "M2 2 L8 8 M8 2 L2 8";      // cross
            default:
                return "M2 5 H8";
        }
    }
}
