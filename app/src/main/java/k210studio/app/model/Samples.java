package k210studio.app.model;

import java.util.List;
import java.util.Map;
import k210studio.app.layout.LayeredLayout;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Position;
import k210studio.ir.project.Project;
import k210studio.ir.samples.SampleNetworks;

/** The bundled template networks offered by File → New from template (from {@link SampleNetworks}), laid out for the canvas. */
public final class Samples {
    private Samples() {
    }

    public static List<String> names() {
        return SampleNetworks.NAMES;
    }

    /** The menu title of a template. */
    public static String title(String name) {
        switch (name) {
            case "brief_two_class":
                return "Two-class network (the brief's, K210-ready)";
            case "brief_needs_fixing":
                return "Two-class network that needs fixing ('same' stride 2, 5×5, PReLU)";
            case "mobilenet_style":
                return "MobileNet-style classifier (20 VOC classes)";
            default:
                return name;
        }
    }

    /** The sample the studio opens when started without a file. */
    public static String defaultName() {
        return "brief_two_class";
    }

    /** A fresh copy of the sample, laid out with the canvas's node sizes. */
    public static Project project(String name) {
        Project p = SampleNetworks.project(name);
        Graph g = p.graph();
        Map<String, Position> pos = LayeredLayout.layout(g);
        pos.forEach(g::setPosition);
        return p;
    }
}
