package k210studio.app.canvas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.CubicCurve;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;
import k210studio.app.layout.LayeredLayout;
import k210studio.app.model.Analysis;
import k210studio.app.model.EditorModel;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.tensor.TensorShape;

/**
 * The network editor surface. Shows every layer as a {@link LayerNodeView}, every edge as a curve
 * labelled with the tensor shape it carries, and KPU layer groups as dashed frames. Supports
 * selecting (click, Shift/Ctrl-click, Shift-drag rubber band), moving, deleting (Del), connecting
 * by dragging from an output port to another layer, panning (drag the background) and zooming
 * (mouse wheel). All changes go through the {@link EditorModel} as undoable commands.
 */
public final class GraphCanvas extends Region {
    private static final double GROUP_MARGIN = 9;
    private static final double MIN_FIT_ZOOM = 0.8;

    private final EditorModel model;
    private final Pane world = new Pane();
    private final Pane groupLayer = new Pane();
    private final Pane edgeLayer = new Pane();
    private final Pane nodeLayer = new Pane();
    private final Pane overlay = new Pane();
    private final Translate pan = new Translate();
    private final Scale zoom = new Scale(1, 1, 0, 0);
    private final Map<String, LayerNodeView> nodes = new LinkedHashMap<>();
    private final Map<String, Point2D> viewPos = new HashMap<>();
    private final List<EdgeView> edges = new ArrayList<>();
    private final Label toast = new Label();
    private final Rectangle clip = new Rectangle();
    /** One tooltip for all nodes: its text is set when the mouse enters a node (a tooltip per node is costly for big graphs). */
    private final javafx.scene.control.Tooltip hoverTip = new javafx.scene.control.Tooltip();

    // gesture state
    private Point2D pressScene;
    private Point2D panStart;
    private boolean dragged;
    private Map<String, Point2D> dragStart;
    private Line connectLine;
    private String connectFrom;
    private Rectangle rubber;
    private javafx.animation.PauseTransition toastTimer;

    /** One drawn edge: producer → consumer port. */
    private record EdgeView(String from, String to, int port, int ports, CubicCurve curve, Text label) {
    }

    public GraphCanvas(EditorModel model) {
        this.model = model;
        setId("canvas");
        getStyleClass().add("graph-canvas");
        setFocusTraversable(true);
        world.setManaged(false);
        world.getTransforms().addAll(pan, zoom);
        world.getChildren().addAll(groupLayer, edgeLayer, nodeLayer, overlay);
        for (Pane p : List.of(groupLayer, edgeLayer, nodeLayer, overlay)) {
            p.setManaged(false);
        }
        groupLayer.setMouseTransparent(true);
        edgeLayer.setMouseTransparent(true);
        overlay.setMouseTransparent(true);
        toast.setId("canvas-toast");
        toast.getStyleClass().add("canvas-toast");
        toast.setVisible(false);
        toast.setManaged(false);
        toast.setMouseTransparent(true);
        toast.setWrapText(true);
        hoverTip.setShowDelay(javafx.util.Duration.millis(300));
        hoverTip.setWrapText(true);
        hoverTip.setMaxWidth(480);
        getChildren().addAll(world, toast);
        setClip(clip);
        pan.setX(400);
        pan.setY(40);

        addEventHandler(MouseEvent.MOUSE_PRESSED, this::backgroundPressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::backgroundDragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, this::backgroundReleased);
        addEventHandler(ScrollEvent.SCROLL, this::scrolled);
        setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                model.deleteSelection();
                e.consume();
            } else if (e.getCode() == KeyCode.A && e.isShortcutDown()) {
                model.select(model.graph().ids());
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                model.select(List.of());
            }
        });
        model.revisionProperty().addListener((o, a, b) -> refresh());
        model.selection().addListener((javafx.collections.SetChangeListener<String>) c -> refreshSelection());
        model.messageProperty().addListener((o, a, b) -> {
            if (model.messageIsErrorProperty().get() && b != null && !b.isEmpty()) {
                showToast(b);
            }
        });
        refresh();
    }

    @Override
    protected void layoutChildren() {
        clip.setWidth(getWidth());
        clip.setHeight(getHeight());
        toast.setMaxWidth(Math.max(200, getWidth() - 40));
        toast.autosize();
        toast.relocate(16, getHeight() - toast.getHeight() - 14);
    }

    // ------------------------------------------------------------------ public API

    public EditorModel model() {
        return model;
    }

    public LayerNodeView nodeView(String id) {
        return nodes.get(id);
    }

    /** The shape label drawn on the edge {@code from → to}, or null. */
    public String edgeLabel(String from, String to) {
        for (EdgeView e : edges) {
            if (e.from().equals(from) && e.to().equals(to)) {
                return e.label().getText();
            }
        }
        return null;
    }

    public double zoomFactor() {
        return zoom.getX();
    }

    /** Scene point → canvas (graph) coordinates. */
    public Point2D sceneToGraph(double sceneX, double sceneY) {
        return world.sceneToLocal(sceneX, sceneY);
    }

    /** True when the scene point lies over the visible canvas. */
    public boolean containsScenePoint(double sceneX, double sceneY) {
        Point2D p = sceneToLocal(sceneX, sceneY);
        return p != null && p.getX() >= 0 && p.getY() >= 0 && p.getX() <= getWidth() && p.getY() <= getHeight();
    }

    /** Adds a palette layer dropped at a scene point (centred on the point). */
    public String dropLayer(String paletteName, double sceneX, double sceneY) {
        Point2D p = sceneToGraph(sceneX, sceneY);
        requestFocus();
        return model.addLayer(paletteName, new Position(Math.round(p.getX() - LayerNodeView.W / 2), Math.round(p.getY() - LayerNodeView.H / 2)));
    }

    /** Zooms and pans so that the whole network is visible. */
    public void fitToView() {
        if (nodes.isEmpty() || getWidth() <= 0) {
            return;
        }
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Point2D p : viewPos.values()) {
            minX = Math.min(minX, p.getX());
            minY = Math.min(minY, p.getY());
            maxX = Math.max(maxX, p.getX() + LayerNodeView.W);
            maxY = Math.max(maxY, p.getY() + LayerNodeView.H);
        }
        double pad = 30;
        double s = Math.min((getWidth() - 2 * pad) / (maxX - minX), (getHeight() - 2 * pad) / (maxY - minY));
        // a long chain would become unreadably small: keep text legible and show the top (scroll for the rest)
        s = Math.max(MIN_FIT_ZOOM, Math.min(1.0, s));
        zoom.setX(s);
        zoom.setY(s);
        pan.setX((getWidth() - (maxX - minX) * s) / 2 - minX * s);
        pan.setY(Math.max(pad, (getHeight() - (maxY - minY) * s) / 2) - minY * s);
    }

    /** Scrolls so that a layer is in view (keeps the zoom). */
    public void reveal(String id) {
        Point2D p = viewPos.get(id);
        if (p == null || getWidth() <= 0) {
            return;
        }
        Point2D local = world.localToParent(p.getX(), p.getY());
        if (local.getX() < 0 || local.getY() < 0 || local.getX() + LayerNodeView.W * zoom.getX() > getWidth()
                || local.getY() + LayerNodeView.H * zoom.getY() > getHeight()) {
            pan.setX(getWidth() / 2 - (p.getX() + LayerNodeView.W / 2) * zoom.getX());
            pan.setY(getHeight() / 2 - (p.getY() + LayerNodeView.H / 2) * zoom.getY());
        }
    }

    public void zoomBy(double factor) {
        zoomAt(factor, getWidth() / 2, getHeight() / 2);
    }

    // ------------------------------------------------------------------ rendering

    /** Brings the views in line with the model (called after every change). */
    public void refresh() {
        Graph g = model.graph();
        Analysis a = model.analysis();
        Set<String> ids = new HashSet<>(g.ids());
        nodes.keySet().removeIf(id -> {
            if (!ids.contains(id)) {
                nodeLayer.getChildren().remove(nodes.get(id));
                return true;
            }
            return false;
        });
        viewPos.clear();
        Map<String, Position> fallback = null;
        for (String id : g.ids()) {
            Position p = g.position(id);
            if (p == null) {
                if (fallback == null) {
                    fallback = fallbackPositions(g);
                }
                p = fallback.get(id);
            }
            viewPos.put(id, new Point2D(p.x(), p.y()));
        }
        List<Node> created = new ArrayList<>();
        for (Layer l : g.layers()) {
            LayerNodeView v = nodes.get(l.id());
            if (v == null) {
                v = new LayerNodeView(l.id());
                wire(v);
                nodes.put(l.id(), v);
                created.add(v);
            }
            Point2D p = viewPos.get(l.id());
            v.relocate(p.getX(), p.getY());
            v.update(l, a.verdictLabel(l.id()), hoverText(l, a), a.shapes().error(l.id()) != null, model.selection().contains(l.id()));
        }
        nodeLayer.getChildren().addAll(created);
        rebuildEdges(g, a);
        rebuildGroups(a);
    }

    private String hoverText(Layer l, Analysis a) {
        StringBuilder sb = new StringBuilder(l.label());
        TensorShape s = a.shapes().shape(l.id());
        if (s != null) {
            sb.append("\nOutput ").append(s);
        }
        String v = a.verdictLabel(l.id());
        String reason = a.verdictReason(l.id());
        if (v != null) {
            sb.append("\n").append(a.target()).append(": ").append(v);
        }
        if (reason != null && !reason.isEmpty()) {
            sb.append(v != null ? " — " : "\n").append(reason);
        }
        String fix = a.fixDescription(l.id());
        if (fix != null) {
            sb.append("\nFix: ").append(fix);
        }
        return sb.toString();
    }

    /**
     * Positions for layers that have none yet: next to their neighbours if those are placed
     * (a layer inserted by a fix), else from an automatic layout of the whole graph.
     */
    private Map<String, Position> fallbackPositions(Graph g) {
        Map<String, Position> auto = LayeredLayout.layout(g);
        Map<String, Position> out = new HashMap<>();
        for (String id : g.ids()) {
            if (g.position(id) != null) {
                continue;
            }
            List<String> ins = g.inputsOf(id);
            List<String> outs = g.consumersOf(id);
            Position from = ins.isEmpty() ? null : g.position(ins.get(0));
            Position to = outs.isEmpty() ? null : g.position(outs.get(0));
            if (from != null && to != null) {
                out.put(id, new Position((from.x() + to.x()) / 2 + LayerNodeView.W * 0.7, (from.y() + to.y()) / 2));
            } else if (from != null) {
                out.put(id, new Position(from.x(), from.y() + LayerNodeView.H + LayeredLayout.V_GAP));
            } else if (to != null) {
                out.put(id, new Position(to.x(), to.y() - LayerNodeView.H - LayeredLayout.V_GAP));
            } else {
                out.put(id, auto.get(id));
            }
        }
        return out;
    }

    /** Re-uses the curve and label of every edge that still exists; only new edges get new nodes. */
    private void rebuildEdges(Graph g, Analysis a) {
        Map<String, EdgeView> old = new HashMap<>();
        for (EdgeView e : edges) {
            old.put(e.from() + ">" + e.to() + "#" + e.port() + "/" + e.ports(), e);
        }
        edges.clear();
        List<Node> keep = new ArrayList<>();
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
                } else {
                    if (!e.label().getText().equals(text)) {
                        e.label().setText(text);
                    }
                    keep.add(e.curve());
                }
                edges.add(e);
                place(e);
            }
        }
        for (EdgeView gone : old.values()) {
            edgeLayer.getChildren().removeAll(gone.curve(), gone.label());
        }
        edgeLayer.getChildren().addAll(added);
    }

    private void place(EdgeView e) {
        Point2D a = viewPos.get(e.from());
        Point2D b = viewPos.get(e.to());
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

    private void rebuildGroups(Analysis a) {
        groupLayer.getChildren().clear();
        int n = 0;
        for (List<String> group : a.kpuGroups()) {
            n++;
            if (group.size() < 2) {
                continue;
            }
            Rectangle r = new Rectangle();
            r.getStyleClass().add("kpu-group");
            r.setArcWidth(16);
            r.setArcHeight(16);
            Text l = new Text("KPU layer " + n);
            l.getStyleClass().add("kpu-group-label");
            r.getProperties().put("members", group);
            l.getProperties().put("members", group);
            groupLayer.getChildren().addAll(r, l);
        }
        placeGroups();
    }

    @SuppressWarnings("unchecked")
    private void placeGroups() {
        Rectangle current = null;
        for (Node n : groupLayer.getChildren()) {
            List<String> members = (List<String>) n.getProperties().get("members");
            double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
            for (String id : members) {
                Point2D p = viewPos.get(id);
                if (p == null) {
                    continue;
                }
                minX = Math.min(minX, p.getX());
                minY = Math.min(minY, p.getY());
                maxX = Math.max(maxX, p.getX() + LayerNodeView.W);
                maxY = Math.max(maxY, p.getY() + LayerNodeView.H);
            }
            if (minX == Double.MAX_VALUE) {
                continue;
            }
            if (n instanceof Rectangle r) {
                r.setX(minX - GROUP_MARGIN);
                r.setY(minY - GROUP_MARGIN - 8);
                r.setWidth(maxX - minX + 2 * GROUP_MARGIN);
                r.setHeight(maxY - minY + 2 * GROUP_MARGIN + 8);
                current = r;
            } else if (n instanceof Text t && current != null) {
                t.setX(current.getX() + current.getWidth() + 5);
                t.setY(current.getY() + 12);
            }
        }
    }

    private void refreshSelection() {
        for (Map.Entry<String, LayerNodeView> e : nodes.entrySet()) {
            e.getValue().setSelected(model.selection().contains(e.getKey()));
        }
    }

    // ------------------------------------------------------------------ node gestures

    private void wire(LayerNodeView v) {
        javafx.scene.control.Tooltip.install(v, hoverTip);
        v.setOnMouseEntered(e -> hoverTip.setText(v.tooltipText()));
        v.setOnMousePressed(e -> {
            if (e.getButton() != MouseButton.PRIMARY) {
                return;
            }
            requestFocus();
            String id = v.layerId();
            if (e.isShiftDown() || e.isShortcutDown()) {
                if (model.selection().contains(id)) {
                    model.selection().remove(id);
                } else {
                    model.selection().add(id);
                }
            } else if (!model.selection().contains(id)) {
                model.select(id);
            }
            pressScene = new Point2D(e.getSceneX(), e.getSceneY());
            dragged = false;
            dragStart = new LinkedHashMap<>();
            for (String s : model.selection()) {
                Point2D p = viewPos.get(s);
                if (p != null) {
                    dragStart.put(s, p);
                }
            }
            e.consume();
        });
        v.setOnMouseDragged(e -> {
            if (dragStart == null || pressScene == null) {
                return;
            }
            double dx = (e.getSceneX() - pressScene.getX()) / zoom.getX();
            double dy = (e.getSceneY() - pressScene.getY()) / zoom.getY();
            if (!dragged && Math.hypot(dx, dy) < 3) {
                return;
            }
            dragged = true;
            for (Map.Entry<String, Point2D> s : dragStart.entrySet()) {
                Point2D p = new Point2D(s.getValue().getX() + dx, s.getValue().getY() + dy);
                viewPos.put(s.getKey(), p);
                LayerNodeView nv = nodes.get(s.getKey());
                if (nv != null) {
                    nv.relocate(p.getX(), p.getY());
                }
            }
            edges.forEach(this::place);
            placeGroups();
            e.consume();
        });
        v.setOnMouseReleased(e -> {
            if (dragged && dragStart != null) {
                Map<String, Position> to = new LinkedHashMap<>();
                for (String s : dragStart.keySet()) {
                    Point2D p = viewPos.get(s);
                    to.put(s, new Position(Math.round(p.getX()), Math.round(p.getY())));
                }
                model.move(to);
            } else if (!e.isShiftDown() && !e.isShortcutDown() && e.isStillSincePress()) {
                model.select(v.layerId());
            }
            dragStart = null;
            dragged = false;
            e.consume();
        });
        v.outPort().setOnMousePressed(e -> {
            if (e.getButton() != MouseButton.PRIMARY) {
                return;
            }
            connectFrom = v.layerId();
            Point2D a = viewPos.get(connectFrom);
            double x = a.getX() + LayerNodeView.W / 2;
            double y = a.getY() + LayerNodeView.H;
            connectLine = new Line(x, y, x, y);
            connectLine.getStyleClass().add("connect-line");
            overlay.getChildren().add(connectLine);
            e.consume();
        });
        v.outPort().setOnMouseDragged(e -> {
            if (connectLine == null) {
                return;
            }
            Point2D p = sceneToGraph(e.getSceneX(), e.getSceneY());
            connectLine.setEndX(p.getX());
            connectLine.setEndY(p.getY());
            String target = nodeAt(p, connectFrom);
            nodes.values().forEach(n -> n.setDropTarget(false));
            if (target != null) {
                nodes.get(target).setDropTarget(true);
            }
            e.consume();
        });
        v.outPort().setOnMouseReleased(e -> {
            if (connectLine == null) {
                return;
            }
            overlay.getChildren().remove(connectLine);
            connectLine = null;
            nodes.values().forEach(n -> n.setDropTarget(false));
            Point2D p = sceneToGraph(e.getSceneX(), e.getSceneY());
            String target = nodeAt(p, connectFrom);
            String from = connectFrom;
            connectFrom = null;
            if (target != null) {
                model.connect(from, target);
            }
            e.consume();
        });
    }

    /** The layer whose box (or input port just above it) contains a graph point, other than {@code except}. */
    private String nodeAt(Point2D p, String except) {
        String best = null;
        for (Map.Entry<String, Point2D> e : viewPos.entrySet()) {
            if (e.getKey().equals(except)) {
                continue;
            }
            Point2D q = e.getValue();
            if (p.getX() >= q.getX() - 4 && p.getX() <= q.getX() + LayerNodeView.W + 4
                    && p.getY() >= q.getY() - 12 && p.getY() <= q.getY() + LayerNodeView.H + 4) {
                best = e.getKey();
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ background gestures

    private void backgroundPressed(MouseEvent e) {
        if (e.isConsumed()) {
            return;
        }
        requestFocus();
        pressScene = new Point2D(e.getSceneX(), e.getSceneY());
        dragged = false;
        if (e.getButton() == MouseButton.PRIMARY && e.isShiftDown()) {
            Point2D p = sceneToGraph(e.getSceneX(), e.getSceneY());
            rubber = new Rectangle(p.getX(), p.getY(), 0, 0);
            rubber.getStyleClass().add("rubber-band");
            overlay.getChildren().add(rubber);
        } else {
            panStart = new Point2D(pan.getX(), pan.getY());
        }
    }

    private void backgroundDragged(MouseEvent e) {
        if (pressScene == null || dragStart != null || connectLine != null) {
            return;
        }
        double dx = e.getSceneX() - pressScene.getX();
        double dy = e.getSceneY() - pressScene.getY();
        if (Math.hypot(dx, dy) > 3) {
            dragged = true;
        }
        if (rubber != null) {
            Point2D a = sceneToGraph(pressScene.getX(), pressScene.getY());
            Point2D b = sceneToGraph(e.getSceneX(), e.getSceneY());
            rubber.setX(Math.min(a.getX(), b.getX()));
            rubber.setY(Math.min(a.getY(), b.getY()));
            rubber.setWidth(Math.abs(a.getX() - b.getX()));
            rubber.setHeight(Math.abs(a.getY() - b.getY()));
        } else if (panStart != null) {
            pan.setX(panStart.getX() + dx);
            pan.setY(panStart.getY() + dy);
        }
    }

    private void backgroundReleased(MouseEvent e) {
        if (pressScene == null) {
            return;
        }
        if (rubber != null) {
            Bounds r = rubber.getBoundsInParent();
            List<String> hit = new ArrayList<>();
            for (Map.Entry<String, Point2D> n : viewPos.entrySet()) {
                Point2D q = n.getValue();
                if (q.getX() + LayerNodeView.W > r.getMinX() && q.getX() < r.getMaxX()
                        && q.getY() + LayerNodeView.H > r.getMinY() && q.getY() < r.getMaxY()) {
                    hit.add(n.getKey());
                }
            }
            overlay.getChildren().remove(rubber);
            rubber = null;
            Set<String> sel = new HashSet<>(model.selection());
            sel.addAll(hit);
            model.select(sel);
        } else if (!dragged) {
            model.select(List.of());
        }
        pressScene = null;
        panStart = null;
    }

    /** Wheel scrolls (Shift: sideways); Ctrl/Cmd + wheel zooms around the mouse. */
    private void scrolled(ScrollEvent e) {
        if (e.isShortcutDown() || e.isControlDown()) {
            zoomAt(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
        } else {
            pan.setX(pan.getX() + e.getDeltaX());
            pan.setY(pan.getY() + e.getDeltaY());
        }
        e.consume();
    }

    private void zoomAt(double factor, double x, double y) {
        double s = Math.max(0.08, Math.min(3.0, zoom.getX() * factor));
        double real = s / zoom.getX();
        // keep the graph point under (x, y) fixed
        pan.setX(x - (x - pan.getX()) * real);
        pan.setY(y - (y - pan.getY()) * real);
        zoom.setX(s);
        zoom.setY(s);
    }

    private void showToast(String text) {
        toast.setText(text);
        toast.setVisible(true);
        requestLayout();
        if (toastTimer != null) {
            toastTimer.stop();
        }
        toastTimer = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(6));
        toastTimer.setOnFinished(ev -> toast.setVisible(false));
        toastTimer.play();
    }
}
