package k210studio.converter.train;

import java.util.List;
import k210studio.ir.graph.Graph;

/**
 * The outcome of a training run.
 *
 * @param graph       the whole network with the best weights (by validation accuracy, then loss; the last epoch's without
 *                    a validation set)
 * @param history     one entry per finished epoch
 * @param bestEpoch   the epoch whose weights {@code graph} holds (0 when no epoch finished: the starting weights)
 * @param stopped     the run was stopped before its last epoch
 * @param finalK210   the K210 check of the kept weights, or null when not asked for or it failed
 * @param k210Error   why the final K210 check failed, or null
 * @param warnings    things the user should know (unreadable images, a smaller feature cache …)
 */
public record TrainingResult(Graph graph, List<EpochStats> history, int bestEpoch, boolean stopped, k210studio.converter.evaluate.K210Check finalK210,
                             String k210Error, List<String> warnings) {
    public TrainingResult {
        history = List.copyOf(history);
        warnings = List.copyOf(warnings);
    }

    /** The stats of the kept epoch, or null. */
    public EpochStats best() {
        return history.stream().filter(e -> e.epoch() == bestEpoch).findFirst().orElse(null);
    }
}
