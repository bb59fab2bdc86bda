package k210studio.app.canvas;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import k210studio.app.model.EditorModel;
import k210studio.ir.graph.Position;

/**
 * The canvas's mouse gestures: click and Shift/Ctrl-click to select, drag layers to move them (one undoable move on
 * release), drag from an output port onto a layer to connect, drag the background to pan, Shift-drag a rubber band,
 * wheel to scroll and Ctrl + wheel to zoom around the mouse.
 */
final class CanvasGestures {
    private final GraphCanvas canvas;
    private final EditorModel model;
    private final Viewport viewport;

    private Point2D pressScene;
    private Point2D panStart;
    private boolean dragged;
    private Map<String, Point2D> dragStart;
    private Line connectLine;
    private String connectFrom;
    private Rectangle rubber;

    CanvasGestures(GraphCanvas canvas, EditorModel model, Viewport viewport) {
        this.canvas = canvas;
        this.model = model;
        this.viewport = viewport;
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::backgroundPressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::backgroundDragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::backgroundReleased);
        canvas.addEventHandler(ScrollEvent.SCROLL, this::scrolled);
    }

    // ------------------------------------------------------------------ node gestures

    void wire(LayerNodeView v) {
        v.setOnMousePressed(e -> nodePressed(v, e));
        v.setOnMouseDragged(this::nodeDragged);
        v.setOnMouseReleased(e -> nodeReleased(v, e));
        v.outPort().setOnMousePressed(e -> {
            if (e.getButton() != MouseButton.PRIMARY) {
                return;
            }
            connectFrom = v.layerId();
            Point2D a = canvas.positions().get(connectFrom);
            double x = a.getX() + LayerNodeView.W / 2;
            double y = a.getY() + LayerNodeView.H;
            connectLine = new Line(x, y, x, y);
            connectLine.getStyleClass().add("connect-line");
            canvas.overlay().getChildren().add(connectLine);
            e.consume();
        });
        v.outPort().setOnMouseDragged(e -> {
            if (connectLine == null) {
                return;
            }
            Point2D p = canvas.sceneToGraph(e.getSceneX(), e.getSceneY());
            connectLine.setEndX(p.getX());
            connectLine.setEndY(p.getY());
            String target = nodeAt(p, connectFrom);
            canvas.nodeViews().forEach(n -> n.setDropTarget(false));
            if (target != null) {
                canvas.nodeView(target).setDropTarget(true);
            }
            e.consume();
        });
        v.outPort().setOnMouseReleased(e -> {
            if (connectLine == null) {
                return;
            }
            canvas.overlay().getChildren().remove(connectLine);
            connectLine = null;
            canvas.nodeViews().forEach(n -> n.setDropTarget(false));
            String target = nodeAt(canvas.sceneToGraph(e.getSceneX(), e.getSceneY()), connectFrom);
            String from = connectFrom;
            connectFrom = null;
            if (target != null) {
                model.connect(from, target);
            }
            e.consume();
        });
    }

    private void nodePressed(LayerNodeView v, MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        canvas.requestFocus();
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
            Point2D p = canvas.positions().get(s);
            if (p != null) {
                dragStart.put(s, p);
            }
        }
        e.consume();
    }

    private void nodeDragged(MouseEvent e) {
        if (dragStart == null || pressScene == null) {
            return;
        }
        double dx = (e.getSceneX() - pressScene.getX()) / viewport.zoomFactor();
        double dy = (e.getSceneY() - pressScene.getY()) / viewport.zoomFactor();
        if (!dragged && Math.hypot(dx, dy) < 3) {
            return;
        }
        dragged = true;
        Map<String, Point2D> moved = new LinkedHashMap<>();
        for (Map.Entry<String, Point2D> s : dragStart.entrySet()) {
            moved.put(s.getKey(), new Point2D(s.getValue().getX() + dx, s.getValue().getY() + dy));
        }
        canvas.moveViews(moved);
        e.consume();
    }

    private void nodeReleased(LayerNodeView v, MouseEvent e) {
        if (dragged && dragStart != null) {
            Map<String, Position> to = new LinkedHashMap<>();
            for (String s : dragStart.keySet()) {
                Point2D p = canvas.positions().get(s);
                to.put(s, new Position(Math.round(p.getX()), Math.round(p.getY())));
            }
            model.move(to);
        } else if (!e.isShiftDown() && !e.isShortcutDown() && e.isStillSincePress()) {
            model.select(v.layerId());
        }
        dragStart = null;
        dragged = false;
        e.consume();
    }

    /** The layer whose box (or input port just above it) contains a graph point, other than {@code except}. */
    private String nodeAt(Point2D p, String except) {
        String best = null;
        for (Map.Entry<String, Point2D> e : canvas.positions().entrySet()) {
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
        canvas.requestFocus();
        pressScene = new Point2D(e.getSceneX(), e.getSceneY());
        dragged = false;
        if (e.getButton() == MouseButton.PRIMARY && e.isShiftDown()) {
            Point2D p = canvas.sceneToGraph(e.getSceneX(), e.getSceneY());
            rubber = new Rectangle(p.getX(), p.getY(), 0, 0);
            rubber.getStyleClass().add("rubber-band");
            canvas.overlay().getChildren().add(rubber);
        } else {
            panStart = new Point2D(viewport.pan().getX(), viewport.pan().getY());
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
            Point2D a = canvas.sceneToGraph(pressScene.getX(), pressScene.getY());
            Point2D b = canvas.sceneToGraph(e.getSceneX(), e.getSceneY());
            rubber.setX(Math.min(a.getX(), b.getX()));
            rubber.setY(Math.min(a.getY(), b.getY()));
            rubber.setWidth(Math.abs(a.getX() - b.getX()));
            rubber.setHeight(Math.abs(a.getY() - b.getY()));
        } else if (panStart != null) {
            viewport.panTo(panStart.getX() + dx, panStart.getY() + dy);
        }
    }

    private void backgroundReleased(MouseEvent e) {
        if (pressScene == null) {
            return;
        }
        if (rubber != null) {
            Bounds r = rubber.getBoundsInParent();
            List<String> hit = new ArrayList<>();
            for (Map.Entry<String, Point2D> n : canvas.positions().entrySet()) {
                Point2D q = n.getValue();
                if (q.getX() + LayerNodeView.W > r.getMinX() && q.getX() < r.getMaxX()
                        && q.getY() + LayerNodeView.H > r.getMinY() && q.getY() < r.getMaxY()) {
                    hit.add(n.getKey());
                }
            }
            canvas.overlay().getChildren().remove(rubber);
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
            viewport.zoomAt(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
        } else {
            viewport.panBy(e.getDeltaX(), e.getDeltaY());
        }
        e.consume();
    }
}
