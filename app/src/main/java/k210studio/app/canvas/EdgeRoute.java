package k210studio.app.canvas;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;

/**
 * Where an edge runs, from a producer's output port (bottom centre) to a consumer's input port (top edge), in graph
 * coordinates. The usual S-curve is kept when it passes no other layer; an edge that would cut through layers (a
 * layer fanning out to one several rows down, a skip connection) is routed instead: down into the gap below its
 * source, sideways to a free vertical lane beside the layers in between, down the lane, and sideways again above
 * its target — the lane nearest to both ends that no layer blocks.
 */
public record EdgeRoute(List<Point2D> points, boolean curved) {
    /** Clearance kept around layer boxes. */
    static final double MARGIN = 8;
    private static final int SAMPLES = 24;

    public EdgeRoute {
        points = List.copyOf(points);
    }

    /**
     * @param from      the producer's output port
     * @param to        the consumer's input port
     * @param obstacles the boxes of every other layer
     */
    public static EdgeRoute between(Point2D from, Point2D to, List<Rectangle2D> obstacles) {
        List<Rectangle2D> near = new ArrayList<>();
        double x0 = Math.min(from.getX(), to.getX()) - 2 * LayerNodeView.W;
        double x1 = Math.max(from.getX(), to.getX()) + 2 * LayerNodeView.W;
        double y0 = Math.min(from.getY(), to.getY()) - LayerNodeView.H;
        double y1 = Math.max(from.getY(), to.getY()) + LayerNodeView.H;
        for (Rectangle2D r : obstacles) {
            if (r.getMaxX() >= x0 && r.getMinX() <= x1 && r.getMaxY() >= y0 && r.getMinY() <= y1) {
                near.add(inflate(r));
            }
        }
        EdgeRoute curve = curve(from, to);
        if (!hits(curve.sample(), near)) {
            return curve;
        }
        double gapBelow = Math.min(LayerNodeView.H * 0.4, Math.max(12, (to.getY() - from.getY()) / 2));
        double yA = from.getY() + Math.max(12, gapBelow);
        double yB = to.getY() - Math.max(12, gapBelow);
        List<Double> lanes = new ArrayList<>(List.of(from.getX(), to.getX()));
        for (Rectangle2D r : near) {
            lanes.add(r.getMinX() - 1);
            lanes.add(r.getMaxX() + 1);
        }
        EdgeRoute best = null;
        double bestCost = Double.MAX_VALUE;
        int bestHits = Integer.MAX_VALUE;
        for (double x : lanes) {
            EdgeRoute r = new EdgeRoute(List.of(from, new Point2D(from.getX(), yA), new Point2D(x, yA), new Point2D(x, yB),
                    new Point2D(to.getX(), yB), to), false);
            int h = count(r.sample(), near);
            double cost = Math.abs(x - from.getX()) + Math.abs(x - to.getX());
            if (h < bestHits || (h == bestHits && cost < bestCost)) {
                best = r;
                bestHits = h;
                bestCost = cost;
            }
        }
        return best;
    }

    /** The plain S-curve (a cubic from the port down, into the port from above). */
    static EdgeRoute curve(Point2D from, Point2D to) {
        double dy = Math.max(30, Math.abs(to.getY() - from.getY()) / 2);
        return new EdgeRoute(List.of(from, new Point2D(from.getX(), from.getY() + dy), new Point2D(to.getX(), to.getY() - dy), to), true);
    }

    /** Points along the drawn line (the cubic evaluated, or the polyline's segments subdivided). */
    public List<Point2D> sample() {
        List<Point2D> out = new ArrayList<>();
        if (curved) {
            Point2D a = points.get(0);
            Point2D b = points.get(1);
            Point2D c = points.get(2);
            Point2D d = points.get(3);
            for (int i = 0; i <= SAMPLES; i++) {
                double t = i / (double) SAMPLES;
                double u = 1 - t;
                out.add(new Point2D(u * u * u * a.getX() + 3 * u * u * t * b.getX() + 3 * u * t * t * c.getX() + t * t * t * d.getX(),
                        u * u * u * a.getY() + 3 * u * u * t * b.getY() + 3 * u * t * t * c.getY() + t * t * t * d.getY()));
            }
            return out;
        }
        for (int s = 0; s + 1 < points.size(); s++) {
            Point2D a = points.get(s);
            Point2D b = points.get(s + 1);
            int n = Math.max(2, (int) Math.ceil(a.distance(b) / 10));
            for (int i = 0; i < n; i++) {
                double t = i / (double) n;
                out.add(new Point2D(a.getX() + (b.getX() - a.getX()) * t, a.getY() + (b.getY() - a.getY()) * t));
            }
        }
        out.add(points.get(points.size() - 1));
        return out;
    }

    /** Where the shape label goes: beside the middle of the curve, or of the lane. */
    public Point2D labelAt() {
        if (curved) {
            Point2D a = points.get(0);
            Point2D d = points.get(3);
            return new Point2D((a.getX() + d.getX()) / 2 + 7, (a.getY() + d.getY()) / 2 + 4);
        }
        Point2D a = points.get(2);
        Point2D b = points.get(3);
        return new Point2D(a.getX() + 7, (a.getY() + b.getY()) / 2 + 4);
    }

    static Rectangle2D inflate(Rectangle2D r) {
        return new Rectangle2D(r.getMinX() - MARGIN, r.getMinY() - MARGIN, r.getWidth() + 2 * MARGIN, r.getHeight() + 2 * MARGIN);
    }

    private static boolean hits(List<Point2D> pts, List<Rectangle2D> boxes) {
        return count(pts, boxes) > 0;
    }

    private static int count(List<Point2D> pts, List<Rectangle2D> boxes) {
        int n = 0;
        for (Point2D p : pts) {
            for (Rectangle2D r : boxes) {
                if (r.contains(p)) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }
}
