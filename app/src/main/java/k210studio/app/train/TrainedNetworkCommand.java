package k210studio.app.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import k210studio.ir.edit.EditCommand;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.project.ProjectSettings;

/**
 * A training run's result as one undo step: the network becomes the trained one (the same design with new
 * weights, or the backbone network for a transfer run), and the project settings take the dataset's labels, the
 * preprocessing the network was trained with and a few training pictures as samples. Undo puts the network and the
 * settings back as they were.
 */
final class TrainedNetworkCommand implements EditCommand {
    private final Graph trained;
    private final ProjectSettings after;
    private final ProjectSettings before;
    private final Consumer<ProjectSettings> settings;
    private final String description;
    private Graph old;

    TrainedNetworkCommand(Graph trained, ProjectSettings before, ProjectSettings after, Consumer<ProjectSettings> settings, String description) {
        this.trained = trained.copy();
        this.before = before;
        this.after = after;
        this.settings = settings;
        this.description = description;
    }

    @Override
    public void apply(Graph graph) {
        old = graph.copy();
        assign(graph, trained);
        settings.accept(after);
    }

    @Override
    public void undo(Graph graph) {
        assign(graph, old);
        settings.accept(before);
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * Makes {@code g} hold {@code src}: layers whose id and edges stay get only their new weights (a retrained
     * design keeps its canvas), everything else is rebuilt.
     */
    static void assign(Graph g, Graph src) {
        boolean sameShape = g.ids().equals(src.ids());
        if (sameShape) {
            for (String id : g.ids()) {
                sameShape &= g.inputsOf(id).equals(src.inputsOf(id)) && g.layer(id).params().equals(src.layer(id).params());
            }
        }
        if (sameShape) {
            for (Layer l : src.layers()) {
                if (!l.equals(g.layer(l.id()))) {
                    g.replaceLayer(l);
                }
            }
            return;
        }
        for (String id : new ArrayList<>(g.ids())) {
            g.removeLayer(id);
        }
        for (Layer l : src.layers()) {
            g.addLayer(l);
        }
        for (String id : src.ids()) {
            List<String> ins = src.inputsOf(id);
            for (int i = 0; i < ins.size(); i++) {
                g.connect(ins.get(i), id, i);
            }
            Position p = src.position(id);
            if (p != null) {
                g.setPosition(id, p);
            }
        }
        g.setOutputs(src.explicitOutputs());
        g.setName(src.name());
    }
}
