package k210studio.app.canvas;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Path;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Rectangle;
import javafx.scene.shape.Shape;
import javafx.scene.text.Text;
import k210studio.app.model.Analysis;

/**
 * The dashed frames around the layers the checker fuses into one KPU layer, each labelled "KPU layer n". A frame is
 * the outline of its members' boxes joined by short bands (not their bounding box), it leaves out members the
 * current target runs on the CPU, and it never encloses another layer: when a band would cross one, the members
 * are framed one by one.
 */
final class KpuFrames extends Pane {
    private static final double MARGIN = 9;
    private static final double BAND = 14;

    /** One frame: its members (KPU and KPU+CPU only), its outline and its label. */
    private record Frame(List<String> members, Path outline, Text label) {
    }

    private final List<Frame> frames = new ArrayList<>();

    KpuFrames() {
        setManaged(false);
        setMouseTransparent(true);
    }

    void rebuild(Analysis a, Map<String, Point2D> pos) {
        getChildren().clear();
        frames.clear();
        int n = 0;
        for (List<String> group : a.kpuGroups()) {
            n++;
            List<String> kpu = new ArrayList<>();
            for (String id : group) {
                String v = a.verdictLabel(id);
                if (v == null || v.startsWith("KPU")) {
                    kpu.add(id);
                }
            }
            if (group.size() < 2 || kpu.isEmpty()) {
                continue;
            }
            Path outline = new Path();
            outline.getStyleClass().add("kpu-group");
            Text l = new Text("KPU layer " + n);
            l.getStyleClass().add("kpu-group-label");
            frames.add(new Frame(List.copyOf(kpu), outline, l));
            getChildren().addAll(outline, l);
        }
        place(pos);
    }

    /** The members framed together under "KPU layer n" (for tests), in data-flow order. */
    List<List<String>> framed() {
        return frames.stream().map(Frame::members).toList();
    }

    /** The outline of the frame holding a layer, or null. */
    Shape outlineOf(String layerId) {
        for (Frame f : frames) {
            if (f.members().contains(layerId)) {
                return f.outline();
            }
        }
        return null;
    }

    void place(Map<String, Point2D> pos) {
        for (Frame f : frames) {
            List<Shape> boxes = new ArrayList<>();
            List<Shape> bands = new ArrayList<>();
            Point2D prev = null;
            Point2D first = null;
            for (String id : f.members()) {
                Point2D p = pos.get(id);
                if (p == null) {
                    continue;
                }
                if (first == null) {
                    first = p;
                }
                Rectangle r = new Rectangle(p.getX() - MARGIN, p.getY() - MARGIN - 8, LayerNodeView.W + 2 * MARGIN, LayerNodeView.H + 2 * MARGIN + 8);
                r.setArcWidth(16);
                r.setArcHeight(16);
                boxes.add(r);
                if (prev != null) {
                    double ax = prev.getX() + LayerNodeView.W / 2;
                    double ay = prev.getY() + LayerNodeView.H;
                    double bx = p.getX() + LayerNodeView.W / 2;
                    double by = p.getY();
                    bands.add(new Polygon(ax - BAND, ay, ax + BAND, ay, bx + BAND, by, bx - BAND, by));
                }
                prev = p;
            }
            if (boxes.isEmpty()) {
                f.outline().getElements().clear();
                f.label().setText("");
                continue;
            }
            Set<String> members = new HashSet<>(f.members());
            List<Shape> parts = new ArrayList<>(boxes);
            parts.addAll(bands);
            Shape outline = union(parts);
            if (coversOther(outline, members, pos)) {
                outline = union(boxes);
            }
            f.outline().getElements().setAll(((Path) outline).getElements());
            Bounds b = boxes.get(0).getBoundsInLocal();
            f.label().setX(b.getMaxX() + 5);
            f.label().setY(b.getMinY() + 12);
        }
    }

    private static Shape union(List<Shape> shapes) {
        Shape u = shapes.get(0);
        for (int i = 1; i < shapes.size(); i++) {
            u = Shape.union(u, shapes.get(i));
        }
        // a single rectangle is not a Path yet
        return u instanceof Path ? u : Shape.union(u, new Rectangle(0, 0, 0, 0));
    }

    /** True when the outline overlaps a layer that is not one of its members. */
    private static boolean coversOther(Shape outline, Set<String> members, Map<String, Point2D> pos) {
        Bounds ob = outline.getBoundsInLocal();
        for (Map.Entry<String, Point2D> e : pos.entrySet()) {
            if (members.contains(e.getKey())) {
                continue;
            }
            Point2D p = e.getValue();
            if (p.getX() > ob.getMaxX() || p.getX() + LayerNodeView.W < ob.getMinX() || p.getY() > ob.getMaxY()
                    || p.getY() + LayerNodeView.H < ob.getMinY()) {
                continue;
            }
            Shape hit = Shape.intersect(outline, new Rectangle(p.getX(), p.getY(), LayerNodeView.W, LayerNodeView.H));
            Bounds hb = hit.getBoundsInLocal();
            if (!hb.isEmpty() && hb.getWidth() > 0.5 && hb.getHeight() > 0.5) {
                return true;
            }
        }
        return false;
    }
}
