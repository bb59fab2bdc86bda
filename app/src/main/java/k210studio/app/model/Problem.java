package k210studio.app.model;

import k210studio.ir.rules.Fix;
import k210studio.ir.rules.Rule;
import k210studio.ir.rules.Verdict;

/**
 * One row of the problems panel: a layer whose verdict for the current target is not plain KPU,
 * or a whole-model memory problem (then {@code layerId} may be null), with the checker's fix if any.
 */
public record Problem(String layerId, String layerName, String type, Verdict verdict, Rule rule, String reason, Fix fix) {

    /** Severity for sorting and colour: UNSUPPORTED first, then memory, CPU, KPU+CPU. */
    public int severity() {
        switch (verdict) {
            case UNSUPPORTED:
                return 0;
            case CPU:
                return 2;
            case KPU_CPU:
                return 3;
            default:
                return 4;
        }
    }
}
