package k210studio.app.model;

import java.util.List;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Input;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.tensor.TensorShape;

/** The bundled template networks offered by File → New from template. */
public final class Samples {
    private Samples() {
    }

    public static List<String> names() {
        return List.of("two-class");
    }

    /** The menu title of a template. */
    public static String title(String name) {
        return name;
    }

    public static String defaultName() {
        return names().get(0);
    }

    public static Project project(String name) {
        Graph g = new Graph(name);
        g.add("input", new Input(TensorShape.hwc(240, 320, 3)));
        return new Project(g, ProjectSettings.defaults(name));
    }
}
