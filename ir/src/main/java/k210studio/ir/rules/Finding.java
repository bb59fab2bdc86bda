package k210studio.ir.rules;

import java.util.List;
import java.util.Objects;

/**
 * The verdict for one layer and one target: the worst of its rule hits, that hit's rule and
 * reason, and every hit (for the detail view).
 */
public record Finding(Verdict verdict, Rule rule, String reason, List<RuleHit> hits) {
    public Finding {
        Objects.requireNonNull(verdict);
        Objects.requireNonNull(rule);
        Objects.requireNonNull(reason);
        hits = List.copyOf(hits);
    }

    /** Sums up hits: the worst wins (the first among equals); an empty list means {@code ok}. */
    static Finding of(List<RuleHit> hits, RuleHit ok) {
        if (hits.isEmpty()) {
            return new Finding(ok.verdict(), ok.rule(), ok.reason(), List.of(ok));
        }
        RuleHit worst = hits.get(0);
        for (RuleHit h : hits) {
            if (h.verdict().ordinal() > worst.verdict().ordinal()) {
                worst = h;
            }
        }
        StringBuilder reason = new StringBuilder(worst.reason());
        for (RuleHit h : hits) {
            if (h != worst && h.verdict() != Verdict.KPU) {
                reason.append("; also ").append(h.rule().id()).append(": ").append(h.reason());
            }
        }
        return new Finding(worst.verdict(), worst.rule(), reason.toString(), hits);
    }
}
