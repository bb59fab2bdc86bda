package k210studio.converter.train;

import java.util.Objects;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.Project;

/**
 * What to train: the whole network, the board preprocessing its input gets, and which part stays frozen.
 *
 * @param graph           the network (weights that are missing are initialised as Keras does)
 * @param preprocessing   how pixels become input values (the project's; a backbone brings its own)
 * @param freezeUntil     id of the last frozen layer (its output feeds the trainable part), or null to train everything
 * @param batchStatistics BatchNormalization layers that train use batch statistics (from scratch); false keeps
 *                        their running statistics, as for fine-tuning pretrained layers
 * @param description     one line for the user, e.g. "MobileNet v1 0.25 (ImageNet), frozen, new head of 3 classes"
 */
public record TrainingSetup(Graph graph, Preprocessing preprocessing, String freezeUntil, boolean batchStatistics,
                            String description) {
    public TrainingSetup {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (freezeUntil != null && !graph.contains(freezeUntil)) {
            throw new IllegalArgumentException("no layer with id '" + freezeUntil + "' to freeze up to");
        }
    }

    /** The project's own design, every layer trained (from its current weights; missing ones initialised). */
    public static TrainingSetup wholeNetwork(Project p) {
        return new TrainingSetup(p.graph().copy(), p.settings().preprocessing(), null, true,
                "the design '" + p.settings().name() + "', every layer trained");
    }

    /**
     * The project's design with the layers up to and including {@code layerName} frozen.
     *
     * @throws TrainingException when there is no such layer
     */
    public static TrainingSetup frozenUntil(Project p, String layerName) throws TrainingException {
        var l = p.graph().layerNamed(layerName);
        if (l == null) {
            throw new TrainingException("no layer named '" + layerName + "' to freeze up to: give the name of a layer of the design");
        }
        return new TrainingSetup(p.graph().copy(), p.settings().preprocessing(), l.id(), true,
                "the design '" + p.settings().name() + "', layers up to " + layerName + " frozen");
    }
}
