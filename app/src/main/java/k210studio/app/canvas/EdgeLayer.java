package k210studio.app.canvas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.layout.Pane;
import javafx.scene.shape.CubicCurve;
import javafx.scene.text.Text;
import k210studio.app.model.Analysis;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.TensorShape;

/** Every edge of the graph as a curve from the producer's output port to the consumer's input port, labelled with the shape it carries. */
final class EdgeLayer extends Pane {
    /** One drawn edge: producer → consumer port. */
    private record EdgeView(String from, String to, int port, int ports, CubicCurve curve, Text label) {
    }

    private final List<EdgeView> edges = new ArrayList<>();

    EdgeLayer() {
        setManaged(false);
        setMouseTransparent(true);
    }

    /** The shape label drawn on the edge {@code from → to}, or null. */
    String label(String from, String to) {
        for (EdgeView e : edges) {
            if (e.from().equals(from) && e.to().equals(to)) {
                return e.label().getText();
            }
        }
        return null;
    }

    /** Re-uses the curve and label of every edge that still exists; only new edges get new nodes. */
    void rebuild(Graph g, Analysis a, Map<String, Point2D> pos) {
        Map<String, EdgeView> old = new HashMap<>();
        for (EdgeView e : edges) {
            old.put(e.from() + ">" + e.to() + "#" + e.port() + "/" + e.ports(), e);
        }
        edges.clear();
        List<Node> added = new ArrayList<>();
        for (String to : g.ids()) {
            List<String> ins = g.inputsOf(to);
            for (int port = 0; port < ins.size(); port++) {
                String from = ins.get(port);
                TensorShape s = a.shapes().shape(from);
                String text = s == null ? "?" : s.toString();
                EdgeView e = old.remove(from + ">" + to + "#" + port + "/" + ins.size());
                if (e == null) {
                    CubicCurve c = new CubicCurve();
                    c.getStyleClass().add("edge");
                    Text label = new Text(text);
                    label.getStyleClass().add("edge-label");
                    e = new EdgeView(from, to, port, ins.size(), c, label);
                    added.add(c);
                    added.add(label);
                } else if (!e.label().getText().equals(text)) {
                    e.label().setText(text);
                }
                edges.add(e);
            }
        }
        for (EdgeView gone : old.values()) {
            getChildren().removeAll(gone.curve(), gone.label());
        }
        getChildren().addAll(added);
        place(pos);
    }

    /** Moves every edge to the current node positions. */
    void place(Map<String, Point2D> pos) {
        for (EdgeView e : edges) {
            place(e, pos);
        }
    }

    private static void place(EdgeView e, Map<String, Point2D> pos) {
        Point2D a = pos.get(e.from());
        Point2D b = pos.get(e.to());
        if (a == null || b == null) {
            return;
        }
        double x1 = a.getX() + LayerNodeView.W / 2;
        double y1 = a.getY() + LayerNodeView.H;
        double x2 = b.getX() + LayerNodeView.W * (e.port() + 1) / (e.ports() + 1);
        double y2 = b.getY();
        double dy = Math.max(30, Math.abs(y2 - y1) / 2);
        CubicCurve c = e.curve();
        c.setStartX(x1);
        c.setStartY(y1);
        c.setEndX(x2);
        c.setEndY(y2);
        c.setControlX1(x1);
        c.setControlY1(y1 + dy);
        c.setControlX2(x2);
        c.setControlY2(y2 - dy);
        Text l = e.label();
        l.setX((x1 + x2) / 2 + 7);
        l.setY((y1 + y2) / 2 + 4);
    }
}
