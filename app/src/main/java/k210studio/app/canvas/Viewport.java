package k210studio.app.canvas;

import javafx.geometry.Point2D;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;

/** The canvas's pan and zoom: the transforms of the world pane, fitting a graph box, revealing a layer, zooming about a point. */
final class Viewport {
    static final double MIN_ZOOM = 0.02;
    static final double MAX_ZOOM = 3.0;
    private static final double MIN_FIT_ZOOM = 0.8;
    private final Translate pan = new Translate();
    private final Scale zoom = new Scale(1, 1, 0, 0);

    Translate pan() {
        return pan;
    }

    Scale zoom() {
        return zoom;
    }

    double zoomFactor() {
        return zoom.getX();
    }

    /** A graph point in canvas coordinates. */
    Point2D toCanvas(double gx, double gy) {
        return new Point2D(pan.getX() + gx * zoom.getX(), pan.getY() + gy * zoom.getY());
    }

    /**
     * Zooms and pans so that the graph box [minX, maxX] × [minY, maxY] is visible in a w × h canvas: all of it
     * ({@code whole}, however small that makes it), or — for a first look — at a legible zoom from the top.
     */
    void fit(double minX, double minY, double maxX, double maxY, double w, double h, boolean whole) {
        double pad = whole ? 16 : 30;
        double s = Math.min((w - 2 * pad) / (maxX - minX), (h - 2 * pad) / (maxY - minY));
        // a first look keeps text legible and shows the top of a long chain (Fit shows it all)
        s = whole ? Math.max(MIN_ZOOM, Math.min(1.0, s)) : Math.max(MIN_FIT_ZOOM, Math.min(1.0, s));
        zoom.setX(s);
        zoom.setY(s);
        pan.setX((w - (maxX - minX) * s) / 2 - minX * s);
        pan.setY(Math.max(pad, (h - (maxY - minY) * s) / 2) - minY * s);
    }

    /** Pans so that the box at (x, y) of size bw × bh is in a w × h canvas, centring it if it is not. */
    void reveal(double x, double y, double bw, double bh, double w, double h) {
        Point2D local = toCanvas(x, y);
        if (local.getX() < 0 || local.getY() < 0 || local.getX() + bw * zoom.getX() > w || local.getY() + bh * zoom.getY() > h) {
            pan.setX(w / 2 - (x + bw / 2) * zoom.getX());
            pan.setY(h / 2 - (y + bh / 2) * zoom.getY());
        }
    }

    void panBy(double dx, double dy) {
        pan.setX(pan.getX() + dx);
        pan.setY(pan.getY() + dy);
    }

    void panTo(double x, double y) {
        pan.setX(x);
        pan.setY(y);
    }

    /** Zooms by {@code factor}, keeping the graph point under the canvas point (x, y) fixed. */
    void zoomAt(double factor, double x, double y) {
        double s = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, zoom.getX() * factor));
        double real = s / zoom.getX();
        pan.setX(x - (x - pan.getX()) * real);
        pan.setY(y - (y - pan.getY()) * real);
        zoom.setX(s);
        zoom.setY(s);
    }
}
