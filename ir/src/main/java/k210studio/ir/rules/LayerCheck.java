package k210studio.ir.rules;

import java.util.List;
import java.util.Objects;

/**
 * The checker's answer for one layer: verdicts for V3 and V4 with reasons, the KPU group it
 * belongs to (null if none; absorbed layers carry their group's verdict) and the fixes offered.
 *
 * @param type the Keras class name ("Conv2D", ...)
 */
public record LayerCheck(String layerId, String name, String type, String groupId, Finding v3, Finding v4, List<Fix> fixes) {
    public LayerCheck {
        Objects.requireNonNull(layerId);
        Objects.requireNonNull(v3);
        Objects.requireNonNull(v4);
        fixes = List.copyOf(fixes);
    }

    public Finding finding(Target t) {
        return t == Target.V3 ? v3 : v4;
    }

    public Verdict verdict(Target t) {
        return finding(t).verdict();
    }
}
