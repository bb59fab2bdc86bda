package k210studio.ir.project;

import java.util.Objects;
import k210studio.ir.graph.Graph;

/**
 * What one {@code .k210proj} file holds: the network (layers, edges, weights, canvas positions,
 * notes) and the project settings (name, target, preprocessing, labels, sample images).
 * The graph is the live, mutable model the editor works on; the settings are an immutable value
 * that the editor replaces as a whole.
 */
public record Project(Graph graph, ProjectSettings settings) {

    public Project {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(settings, "settings");
    }

    /** A project with default settings named after the graph. */
    public static Project of(Graph graph) {
        return new Project(graph, ProjectSettings.defaults(graph.name()));
    }

    public Project withSettings(ProjectSettings s) {
        return new Project(graph, s);
    }
}
