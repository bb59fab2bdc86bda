package k210studio.app.canvas;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;
import javafx.util.Duration;
import k210studio.app.layout.LayeredLayout;
import k210studio.app.model.Analysis;
import k210studio.app.model.EditorModel;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.tensor.TensorShape;

/**
 * The network editor surface. Shows every layer as a {@link LayerNodeView}, every edge as a curve
 * labelled with the tensor shape it carries ({@link EdgeLayer}), and KPU layer groups as dashed frames
 * ({@link KpuFrames}). Supports selecting, moving, deleting (Del), connecting, panning and zooming
 * ({@link CanvasGestures}, {@link Viewport}). All changes go through the {@link EditorModel} as undoable commands.
 */
public final class GraphCanvas extends Region {
    private final EditorModel model;
    private final Viewport viewport = new Viewport();
    private final Pane world = new Pane();
    private final KpuFrames frames = new KpuFrames();
    private final EdgeLayer edges = new EdgeLayer();
    private final Pane nodeLayer = new Pane();
    private final Pane overlay = new Pane();
    private final Map<String, LayerNodeView> nodes = new LinkedHashMap<>();
    private final Map<String, Point2D> viewPos = new HashMap<>();
    private final Label toast = new Label();
    private final Rectangle clip = new Rectangle();
    /** One tooltip for all nodes: its text is set when the mouse enters a node (a tooltip per node is costly for big graphs). */
    private final Tooltip hoverTip = new Tooltip();
    private final CanvasGestures gestures;
    private final Minimap minimap = new Minimap(this);
    private final javafx.beans.property.BooleanProperty minimapShown = new javafx.beans.property.SimpleBooleanProperty(true);
    private javafx.animation.PauseTransition toastTimer;

    public GraphCanvas(EditorModel model) {
        this.model = model;
        setId("canvas");
        getStyleClass().add("graph-canvas");
        setFocusTraversable(true);
        world.setManaged(false);
        world.getTransforms().addAll(viewport.pan(), viewport.zoom());
        world.getChildren().addAll(frames, edges, nodeLayer, overlay);
        nodeLayer.setManaged(false);
        overlay.setManaged(false);
        overlay.setMouseTransparent(true);
        toast.setId("canvas-toast");
        toast.getStyleClass().add("canvas-toast");
        toast.setVisible(false);
        toast.setManaged(false);
        toast.setMouseTransparent(true);
        toast.setWrapText(true);
        hoverTip.setShowDelay(Duration.millis(300));
        hoverTip.setWrapText(true);
        hoverTip.setMaxWidth(480);
        minimap.setManaged(false);
        minimap.visibleProperty().bind(minimapShown);
        minimapShown.addListener(o -> redrawMinimap());
        getChildren().addAll(world, minimap, toast);
        for (javafx.beans.value.ObservableValue<?> v : List.of(viewport.pan().xProperty(), viewport.pan().yProperty(),
                viewport.zoom().xProperty(), widthProperty(), heightProperty())) {
            v.addListener(o -> redrawMinimap());
        }
        setClip(clip);
        viewport.panTo(400, 40);
        gestures = new CanvasGestures(this, model, viewport);
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
        minimap.resize(Minimap.W, Minimap.H);
        minimap.relocate(getWidth() - Minimap.W - 12, getHeight() - Minimap.H - 12);
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
        return edges.label(from, to);
    }

    public double zoomFactor() {
        return viewport.zoomFactor();
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

    /** Zooms and pans so that the whole network is visible (Fit, Ctrl+0), however big it is. */
    public void fitToView() {
        fit(true);
    }

    /** A first look at a network just opened: the whole of it if that stays legible, else its top at a legible zoom. */
    public void showStart() {
        fit(false);
    }

    private void fit(boolean whole) {
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
        viewport.fit(minX, minY, maxX, maxY, getWidth(), getHeight(), whole);
    }

    /** Pans so that a graph point is in the middle of the canvas (the minimap's clicks). */
    void centreOn(double gx, double gy) {
        viewport.panTo(getWidth() / 2 - gx * viewport.zoomFactor(), getHeight() / 2 - gy * viewport.zoomFactor());
    }

    /** The part of the graph the canvas shows, in graph coordinates. */
    public javafx.geometry.Rectangle2D visibleGraphBounds() {
        Point2D a = world.parentToLocal(0, 0);
        Point2D b = world.parentToLocal(getWidth(), getHeight());
        return new javafx.geometry.Rectangle2D(a.getX(), a.getY(), b.getX() - a.getX(), b.getY() - a.getY());
    }

    /** Whether the overview in the corner is shown (View → Minimap). */
    public javafx.beans.property.BooleanProperty minimapShownProperty() {
        return minimapShown;
    }

    /** The minimap's frame of the visible part, in its own pixels (empty when nothing is drawn). */
    public javafx.geometry.Rectangle2D minimapViewport() {
        return minimap.viewport();
    }

    /** The minimap node (for gestures in tests). */
    public Region minimap() {
        return minimap;
    }

    /** Points along the drawn edge {@code from → to} (graph coordinates), or an empty list. */
    public List<Point2D> edgePoints(String from, String to) {
        EdgeRoute r = edges.route(from, to);
        return r == null ? List.of() : r.sample();
    }

    /** The layers framed together as one "KPU layer" (for tests), each list in data-flow order. */
    public List<List<String>> kpuFrames() {
        return frames.framed();
    }

    /** The outline of the KPU frame holding a layer, or null. */
    public javafx.scene.shape.Shape kpuFrameOutline(String layerId) {
        return frames.outlineOf(layerId);
    }

    private void redrawMinimap() {
        if (!minimapShown.get() || getWidth() <= 0) {
            return;
        }
        Map<String, String> verdicts = new HashMap<>();
        nodes.forEach((id, v) -> verdicts.put(id, v.verdict()));
        minimap.redraw(viewPos, verdicts, visibleGraphBounds());
    }

    /** Scrolls so that a layer is in view (keeps the zoom). */
    public void reveal(String id) {
        Point2D p = viewPos.get(id);
        if (p != null && getWidth() > 0) {
            viewport.reveal(p.getX(), p.getY(), LayerNodeView.W, LayerNodeView.H, getWidth(), getHeight());
        }
    }

    public void zoomBy(double factor) {
        viewport.zoomAt(factor, getWidth() / 2, getHeight() / 2);
    }

    // ------------------------------------------------------------------ for the gestures

    /** Where every layer is drawn now (graph coordinates of its top-left corner). */
    Map<String, Point2D> positions() {
        return viewPos;
    }

    Collection<LayerNodeView> nodeViews() {
        return nodes.values();
    }

    Pane overlay() {
        return overlay;
    }

    /** Moves layer views while they are dragged (the model moves on release). */
    void moveViews(Map<String, Point2D> moved) {
        moved.forEach((id, p) -> {
            viewPos.put(id, p);
            LayerNodeView nv = nodes.get(id);
            if (nv != null) {
                nv.relocate(p.getX(), p.getY());
            }
        });
        edges.place(viewPos);
        frames.place(viewPos);
        redrawMinimap();
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
            v.update(l, a.verdictLabel(l.id()), "", a.shapes().error(l.id()) != null, model.selection().contains(l.id()));
            v.setHoverText(hoverText(l, a));
        }
        nodeLayer.getChildren().addAll(created);
        edges.rebuild(g, a, viewPos);
        frames.rebuild(a, viewPos);
        redrawMinimap();
    }

    private String hoverText(Layer l, Analysis a) {
        StringBuilder sb = new StringBuilder(l.label());
        if (nodes.containsKey(l.id()) && !nodes.get(l.id()).titleText().equals(l.name())) {
            // the box shows a shortened name: hovering gives the whole of it
            sb.append("\nName: ").append(l.name());
        }
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

    private void refreshSelection() {
        for (Map.Entry<String, LayerNodeView> e : nodes.entrySet()) {
            e.getValue().setSelected(model.selection().contains(e.getKey()));
        }
    }

    private void wire(LayerNodeView v) {
        Tooltip.install(v, hoverTip);
        v.setOnMouseEntered(e -> hoverTip.setText(v.tooltipText()));
        gestures.wire(v);
    }

    private void showToast(String text) {
        toast.setText(text);
        toast.setVisible(true);
        requestLayout();
        if (toastTimer != null) {
            toastTimer.stop();
        }
        toastTimer = new javafx.animation.PauseTransition(Duration.seconds(6));
        toastTimer.setOnFinished(ev -> toast.setVisible(false));
        toastTimer.play();
    }
}
