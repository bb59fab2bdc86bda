package k210studio.app.canvas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.layout.Pane;
import javafx.scene.shape.CubicCurveTo;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.shape.QuadCurveTo;
import javafx.scene.text.Text;
import k210studio.app.model.Analysis;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.TensorShape;

/**
 * Every edge of the graph from the producer's output port to the consumer's input port, labelled with the shape it
 * carries, along the {@link EdgeRoute} that keeps it off the other layers.
 */
final class EdgeLayer extends Pane {
    private static final double CORNER = 10;

    /** One drawn edge: producer → consumer port. */
    private static final class EdgeView {
        final String from;
        final String to;
        final int port;
        final int ports;
        final Path path = new Path();
        final Text label;
        EdgeRoute route;

        EdgeView(String from, String to, int port, int ports, String text) {
            this.from = from;
            this.to = to;
            this.port = port;
            this.ports = ports;
            path.getStyleClass().add("edge");
            label = new Text(text);
            label.getStyleClass().add("edge-label");
        }

        String key() {
            return from + ">" + to + "#" + port + "/" + ports;
        }
    }

    private final List<EdgeView> edges = new ArrayList<>();

    EdgeLayer() {
        setManaged(false);
        setMouseTransparent(true);
    }

    /** The shape label drawn on the edge {@code from → to}, or null. */
    String label(String from, String to) {
        EdgeView e = find(from, to);
        return e == null ? null : e.label.getText();
    }

    /** The route of the edge {@code from → to}, or null. */
    EdgeRoute route(String from, String to) {
        EdgeView e = find(from, to);
        return e == null ? null : e.route;
    }

    private EdgeView find(String from, String to) {
        for (EdgeView e : edges) {
            if (e.from.equals(from) && e.to.equals(to)) {
                return e;
            }
        }
        return null;
    }

    /** Re-uses the path and label of every edge that still exists; only new edges get new nodes. */
    void rebuild(Graph g, Analysis a, Map<String, Point2D> pos) {
        Map<String, EdgeView> old = new HashMap<>();
        for (EdgeView e : edges) {
            old.put(e.key(), e);
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
                    e = new EdgeView(from, to, port, ins.size(), text);
                    added.add(e.path);
                    added.add(e.label);
                } else if (!e.label.getText().equals(text)) {
                    e.label.setText(text);
                }
                edges.add(e);
            }
        }
        for (EdgeView gone : old.values()) {
            getChildren().removeAll(gone.path, gone.label);
        }
        getChildren().addAll(added);
        place(pos);
    }

    /** Routes every edge again around the layers at their current positions. */
    void place(Map<String, Point2D> pos) {
        Map<String, Rectangle2D> boxes = new HashMap<>();
        pos.forEach((id, p) -> boxes.put(id, new Rectangle2D(p.getX(), p.getY(), LayerNodeView.W, LayerNodeView.H)));
        List<Rectangle2D> all = new ArrayList<>(boxes.values());
        for (EdgeView e : edges) {
            Point2D a = pos.get(e.from);
            Point2D b = pos.get(e.to);
            if (a == null || b == null) {
                continue;
            }
            Point2D start = new Point2D(a.getX() + LayerNodeView.W / 2, a.getY() + LayerNodeView.H);
            Point2D end = new Point2D(b.getX() + LayerNodeView.W * (e.port + 1) / (e.ports + 1), b.getY());
            List<Rectangle2D> others = new ArrayList<>(all);
            others.remove(boxes.get(e.from));
            others.remove(boxes.get(e.to));
            e.route = EdgeRoute.between(start, end, others);
            e.path.getElements().setAll(elements(e.route));
            Point2D l = e.route.labelAt();
            e.label.setX(l.getX());
            e.label.setY(l.getY());
        }
    }

    /** The route as path elements: the cubic, or the lane's polyline with rounded corners. */
    private static List<PathElement> elements(EdgeRoute r) {
        List<Point2D> p = r.points();
        List<PathElement> out = new ArrayList<>();
        out.add(new MoveTo(p.get(0).getX(), p.get(0).getY()));
        if (r.curved()) {
            out.add(new CubicCurveTo(p.get(1).getX(), p.get(1).getY(), p.get(2).getX(), p.get(2).getY(), p.get(3).getX(), p.get(3).getY()));
            return out;
        }
        for (int i = 1; i + 1 < p.size(); i++) {
            Point2D prev = p.get(i - 1);
            Point2D c = p.get(i);
            Point2D next = p.get(i + 1);
            double rIn = Math.min(CORNER, prev.distance(c) / 2);
            double rOut = Math.min(CORNER, c.distance(next) / 2);
            Point2D in = toward(c, prev, rIn);
            Point2D outP = toward(c, next, rOut);
            out.add(new LineTo(in.getX(), in.getY()));
            out.add(new QuadCurveTo(c.getX(), c.getY(), outP.getX(), outP.getY()));
        }
        Point2D last = p.get(p.size() - 1);
        out.add(new LineTo(last.getX(), last.getY()));
        return out;
    }

    private static Point2D toward(Point2D from, Point2D to, double d) {
        double len = from.distance(to);
        return len == 0 ? from : new Point2D(from.getX() + (to.getX() - from.getX()) * d / len, from.getY() + (to.getY() - from.getY()) * d / len);
    }
}
