package k210studio.app.canvas;

import java.util.Map;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * An overview of the whole network in a corner of the canvas: every layer as a small box in its verdict's colour
 * and the part the canvas shows as a frame. Clicking or dragging in it centres the canvas there.
 */
final class Minimap extends Region {
    static final double W = 200;
    static final double H = 150;
    private static final double PAD = 6;
    private final Canvas canvas = new Canvas(W, H);
    private final GraphCanvas owner;
    private double scale = 1;
    private double originX;
    private double originY;
    private Rectangle2D viewport = Rectangle2D.EMPTY;

    Minimap(GraphCanvas owner) {
        this.owner = owner;
        setId("canvas-minimap");
        getStyleClass().add("minimap");
        getChildren().add(canvas);
        setPrefSize(W, H);
        setMinSize(W, H);
        setMaxSize(W, H);
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::centreAt);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::centreAt);
        // the minimap's gestures are its own: they do not pan the canvas underneath
        addEventHandler(MouseEvent.ANY, MouseEvent::consume);
    }

    /** Minimap pixels per graph unit. */
    double scale() {
        return scale;
    }

    /** The canvas's visible part in minimap pixels. */
    Rectangle2D viewport() {
        return viewport;
    }

    /** A graph point in minimap pixels. */
    Point2D toMap(double gx, double gy) {
        return new Point2D(PAD + (gx - originX) * scale, PAD + (gy - originY) * scale);
    }

    private void centreAt(MouseEvent e) {
        if (scale > 0) {
            owner.centreOn((e.getX() - PAD) / scale + originX, (e.getY() - PAD) / scale + originY);
        }
    }

    /** Draws the layers and the visible part ({@code visible}: the canvas's graph box). */
    void redraw(Map<String, Point2D> pos, Map<String, String> verdicts, Rectangle2D visible) {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, W, H);
        if (pos.isEmpty()) {
            viewport = Rectangle2D.EMPTY;
            return;
        }
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Point2D p : pos.values()) {
            minX = Math.min(minX, p.getX());
            minY = Math.min(minY, p.getY());
            maxX = Math.max(maxX, p.getX() + LayerNodeView.W);
            maxY = Math.max(maxY, p.getY() + LayerNodeView.H);
        }
        scale = Math.min((W - 2 * PAD) / (maxX - minX), (H - 2 * PAD) / (maxY - minY));
        // centre the drawing in the box
        originX = minX - ((W - 2 * PAD) / scale - (maxX - minX)) / 2;
        originY = minY - ((H - 2 * PAD) / scale - (maxY - minY)) / 2;
        for (Map.Entry<String, Point2D> e : pos.entrySet()) {
            Point2D m = toMap(e.getValue().getX(), e.getValue().getY());
            g.setFill(colour(verdicts.get(e.getKey())));
            g.fillRect(m.getX(), m.getY(), Math.max(1.5, LayerNodeView.W * scale), Math.max(1.5, LayerNodeView.H * scale));
        }
        Point2D a = toMap(visible.getMinX(), visible.getMinY());
        Point2D b = toMap(visible.getMaxX(), visible.getMaxY());
        double x0 = Math.max(0, a.getX());
        double y0 = Math.max(0, a.getY());
        double x1 = Math.min(W, b.getX());
        double y1 = Math.min(H, b.getY());
        viewport = x1 > x0 && y1 > y0 ? new Rectangle2D(x0, y0, x1 - x0, y1 - y0) : Rectangle2D.EMPTY;
        g.setStroke(Color.web("#0969da"));
        g.setLineWidth(1.5);
        g.strokeRect(viewport.getMinX(), viewport.getMinY(), viewport.getWidth(), viewport.getHeight());
    }

    private static Color colour(String verdict) {
        if (verdict == null) {
            return Color.web("#8c959f");
        }
        return switch (verdict) {
            case "KPU" -> Color.web("#2da44e");
            case "KPU+CPU" -> Color.web("#bf8700");
            case "CPU" -> Color.web("#0969da");
            case "UNSUPPORTED" -> Color.web("#cf222e");
            default -> Color.web("#8c959f");
        };
    }
}
