package k210studio.ir.rules;

import java.util.Objects;

/** One rule's outcome for one layer and one target: the verdict it forces and why. */
public record RuleHit(Rule rule, Verdict verdict, String reason) {
    public RuleHit {
        Objects.requireNonNull(rule);
        Objects.requireNonNull(verdict);
        Objects.requireNonNull(reason);
    }
}
