package k210studio.app.canvas;

import java.util.Map;
import java.util.Objects;
import javafx.css.PseudoClass;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;
import javafx.scene.shape.SVGPath;
import javafx.scene.text.Text;
import k210studio.app.layout.LayeredLayout;
import k210studio.ir.graph.Layer;

/**
 * One layer on the canvas: a box with the layer's name, type and parameters, a verdict badge
 * (colour + icon + text) for the current target, an input port on top and an output port at
 * the bottom. Built from shapes and {@link Text} (no controls) so that a few hundred of them are
 * cheap to create and to refresh; state is shown with pseudo-classes, and no part has a CSS id
 * (a unique id defeats JavaFX's style cache, which made adding 300 nodes take seconds).
 */
public final class LayerNodeView extends Pane {
    static final double W = LayeredLayout.NODE_W;
    static final double H = LayeredLayout.NODE_H;
    private static final double PORT_R = 6;
    private static final double BADGE_H = 16;

    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private static final PseudoClass SHAPE_ERROR = PseudoClass.getPseudoClass("shape-error");
    private static final PseudoClass DROP_TARGET = PseudoClass.getPseudoClass("drop-target");
    private static final Map<String, PseudoClass> VERDICTS = Map.of(
            "v-kpu", PseudoClass.getPseudoClass("kpu"),
            "v-kpu-cpu", PseudoClass.getPseudoClass("kpu-cpu"),
            "v-cpu", PseudoClass.getPseudoClass("cpu"),
            "v-unsupported", PseudoClass.getPseudoClass("unsupported"));

    private final String layerId;
    private final Rectangle box = new Rectangle(W, H);
    private final Text title = new Text();
    private final Text subtitle = new Text();
    private final Rectangle badgeBox = new Rectangle();
    private final Text badgeText = new Text("…");
    private final SVGPath badgeIcon = new SVGPath();
    private final Circle inPort = new Circle(PORT_R);
    private final Circle outPort = new Circle(PORT_R);
    private String verdict;
    private String hover = "";
    private Layer shown;
    private boolean badgeSet;

    LayerNodeView(String layerId) {
        this.layerId = layerId;
        getStyleClass().add("layer-node");
        setPrefSize(W, H);
        setMinSize(W, H);
        setMaxSize(W, H);
        box.setArcWidth(12);
        box.setArcHeight(12);
        box.getStyleClass().add("layer-box");
        title.getStyleClass().add("layer-title");
        subtitle.getStyleClass().add("layer-subtitle");
        title.setX(9);
        title.setY(23);
        subtitle.setX(9);
        subtitle.setY(41);
        title.setClip(new Rectangle(0, 0, W - 12, H));
        subtitle.setClip(new Rectangle(0, 0, W - 10, H));
        badgeBox.getStyleClass().add("verdict-badge");
        badgeBox.setArcWidth(BADGE_H);
        badgeBox.setArcHeight(BADGE_H);
        badgeBox.setHeight(BADGE_H);
        badgeBox.setY(-BADGE_H / 2 - 1); // a tag on the top edge, right of the input port
        badgeText.getStyleClass().add("verdict-text");
        badgeText.setFont(BADGE_FONT);
        badgeText.setY(3);
        badgeIcon.getStyleClass().add("verdict-icon");
        badgeIcon.setLayoutY(-5);
        for (javafx.scene.Node n : new javafx.scene.Node[] {title, subtitle, badgeBox, badgeText, badgeIcon}) {
            n.setMouseTransparent(true);
        }
        inPort.getStyleClass().addAll("port", "in-port");
        outPort.getStyleClass().addAll("port", "out-port");
        inPort.setCenterX(W / 2);
        inPort.setCenterY(0);
        outPort.setCenterX(W / 2);
        outPort.setCenterY(H);
        getChildren().addAll(box, title, subtitle, badgeBox, badgeIcon, badgeText, inPort, outPort);
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

    /** The name as drawn in the box (long TFLite names shortened; the full one is in the hover text and the inspector). */
    public String titleText() {
        return title.getText();
    }

    /** The text drawn in the verdict badge. */
    public String badgeText() {
        return badgeText.getText();
    }

    /** What hovering shows: the layer, its output shape, the verdict with its reason and the fix. */
    public String tooltipText() {
        return hover;
    }

    /** Shows a layer's state; only what changed is touched. */
    void update(Layer layer, String verdictLabel, String hoverText, boolean shapeError, boolean selected) {
        if (layer != shown) {
            shown = layer;
            title.setText(LayerText.shortName(layer.name(), W - 16, TITLE_FONT));
            String sum = LayerText.summary(layer.params());
            subtitle.setText(layer.params().kerasName() + (sum.isEmpty() ? "" : " · " + sum));
            inPort.setVisible(layer.params().maxInputs() > 0);
        }
        if (!badgeSet || !Objects.equals(verdict, verdictLabel)) {
            badgeSet = true;
            this.verdict = verdictLabel;
            String cls = styleClassOf(verdictLabel);
            VERDICTS.forEach((k, pc) -> pseudoClassStateChanged(pc, k.equals(cls)));
            String text = verdictLabel == null ? "…" : verdictLabel;
            badgeText.setText(text);
            badgeIcon.setContent(iconOf(verdictLabel));
            double textW = badgeTextWidth(text);
            double bw = textW + 23;
            double x0 = W - 4 - bw;
            badgeBox.setX(x0);
            badgeBox.setWidth(bw);
            badgeIcon.setLayoutX(x0 + 6);
            badgeText.setX(x0 + 17);
        }
        pseudoClassStateChanged(SELECTED, selected);
        pseudoClassStateChanged(SHAPE_ERROR, shapeError);
        this.hover = hoverText;
    }

    /** The title's font as studio.css sets it (.layer-title), for fitting long names. */
    private static final javafx.scene.text.Font TITLE_FONT = javafx.scene.text.Font.font("System", javafx.scene.text.FontWeight.BOLD, 12.5);
    private static final javafx.scene.text.Font BADGE_FONT = javafx.scene.text.Font.font("System", javafx.scene.text.FontWeight.BOLD, 10);
    private static final Map<String, Double> BADGE_WIDTHS = new java.util.concurrent.ConcurrentHashMap<>();

    private static double badgeTextWidth(String s) {
        return BADGE_WIDTHS.computeIfAbsent(s, k -> {
            Text t = new Text(k);
            t.setFont(BADGE_FONT);
            return Math.ceil(t.getLayoutBounds().getWidth());
        });
    }

    void setHoverText(String text) {
        this.hover = text;
    }

    void setSelected(boolean selected) {
        pseudoClassStateChanged(SELECTED, selected);
    }

    void setDropTarget(boolean on) {
        pseudoClassStateChanged(DROP_TARGET, on);
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
