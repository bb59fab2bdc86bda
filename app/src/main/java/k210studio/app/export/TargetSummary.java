package k210studio.app.export;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.rules.CheckReport;
import k210studio.ir.rules.LayerCheck;
import k210studio.ir.rules.Target;
import k210studio.ir.rules.Verdict;

/** The target page's figures for one kmodel version: verdict counts, whether the project converts, its first problems. */
public record TargetSummary(Target target, String verdicts, boolean converts, List<String> problems) {

    public static TargetSummary of(CheckReport check, Target t) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (LayerCheck lc : check.layers()) {
            counts.merge(lc.verdict(t), 1, Integer::sum);
        }
        StringBuilder v = new StringBuilder("This project: ");
        for (Verdict vd : Verdict.values()) {
            v.append(vd.display()).append(' ').append(counts.getOrDefault(vd, 0)).append("   ");
        }
        boolean converts = check.convertsFor(t);
        v.append(converts ? "— converts" : "— does NOT convert");
        return new TargetSummary(t, v.toString(), converts, check.problems(t).stream().limit(4).toList());
    }

    /** Which version to take, and why. */
    public static String recommendation(CheckReport check) {
        return check.convertsFor(Target.V3)
                ? "Recommendation: V3 — it can run this network and is smaller and faster."
                : check.convertsFor(Target.V4) ? "Recommendation: V4 — V3 cannot convert this network (see the reasons above)."
                : "Neither version can convert this network as it is: fix the problems in the editor first.";
    }
}
