package k210studio.app.canvas;

import java.util.List;
import java.util.Map;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;
import k210studio.app.model.Analysis;

/** The dashed frames around the layers the checker fuses into one KPU layer, each labelled "KPU layer n". */
final class KpuFrames extends Pane {
    private static final double MARGIN = 9;

    KpuFrames() {
        setManaged(false);
        setMouseTransparent(true);
    }

    void rebuild(Analysis a, Map<String, Point2D> pos) {
        getChildren().clear();
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
            getChildren().addAll(r, l);
        }
        place(pos);
    }

    @SuppressWarnings("unchecked")
    void place(Map<String, Point2D> pos) {
        Rectangle current = null;
        for (Node n : getChildren()) {
            List<String> members = (List<String>) n.getProperties().get("members");
            double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
            for (String id : members) {
                Point2D p = pos.get(id);
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
                r.setX(minX - MARGIN);
                r.setY(minY - MARGIN - 8);
                r.setWidth(maxX - minX + 2 * MARGIN);
                r.setHeight(maxY - minY + 2 * MARGIN + 8);
                current = r;
            } else if (n instanceof Text t && current != null) {
                t.setX(current.getX() + current.getWidth() + 5);
                t.setY(current.getY() + 12);
            }
        }
    }
}
