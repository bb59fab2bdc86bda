package k210studio.app.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.rules.CheckReport;
import k210studio.ir.rules.Finding;
import k210studio.ir.rules.K210Checker;
import k210studio.ir.rules.Fix;
import k210studio.ir.rules.KpuGroup;
import k210studio.ir.rules.LayerCheck;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.MemoryEstimate;
import k210studio.ir.rules.Rule;
import k210studio.ir.rules.Target;
import k210studio.ir.rules.Verdict;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;

/**
 * Everything the views show about the current graph, computed in one go after each change:
 * shapes, the K210 checker's verdicts for V3 and V4, KPU groups, fixes and the memory estimate.
 * The studio only reads the checker's answer; it decides nothing about the K210 itself.
 */
public final class Analysis {
    private final Target target;
    private final MemoryBudget budget;
    private final ShapeResult shapes;
    private final CheckReport report;
    private final Map<String, LayerCheck> checks = new HashMap<>();
    private final List<KpuGroup> groups;
    private final Map<String, KpuGroup> groupOf = new HashMap<>();
    private final MemoryEstimate memory;
    private final List<Problem> problems;
    private final long parameters;
    private final long checkNanos;

    private Analysis(Graph g, Target target, MemoryBudget budget, ShapeResult shapes, CheckReport report, long checkNanos) {
        this.target = target;
        this.budget = budget;
        this.shapes = shapes;
        this.report = report;
        for (LayerCheck c : report.layers()) {
            checks.put(c.layerId(), c);
        }
        this.groups = report.groups();
        this.memory = report.memory(target);
        this.checkNanos = checkNanos;
        for (KpuGroup k : groups) {
            for (String id : k.layerIds()) {
                groupOf.put(id, k);
            }
        }
        this.problems = buildProblems(g);
        long n = 0;
        for (Layer l : g.layers()) {
            for (var w : l.weights().values()) {
                n += w.size();
            }
        }
        this.parameters = n;
    }

    public static Analysis of(Graph g, Target target, MemoryBudget budget) {
        long t0 = System.nanoTime();
        ShapeResult shapes = ShapeInference.infer(g);
        CheckReport r = K210Checker.check(g, budget);
        return new Analysis(g, target, budget, shapes, r, System.nanoTime() - t0);
    }

    public Target target() {
        return target;
    }

    public MemoryBudget budget() {
        return budget;
    }

    public ShapeResult shapes() {
        return shapes;
    }

    /** How long shapes + rules took, in nanoseconds. */
    public long checkNanos() {
        return checkNanos;
    }

    /** The checker's full report (both targets). */
    public CheckReport report() {
        return report;
    }

    public LayerCheck check(String id) {
        return checks.get(id);
    }

    /** "KPU", "KPU+CPU", "CPU", "UNSUPPORTED" for the current target, or null when unknown. */
    public String verdictLabel(String id) {
        return verdictLabel(id, target);
    }

    public String verdictLabel(String id, Target t) {
        LayerCheck c = checks.get(id);
        return c == null ? null : c.verdict(t).display();
    }

    public Verdict verdict(String id) {
        LayerCheck c = checks.get(id);
        return c == null ? null : c.verdict(target);
    }

    public String verdictReason(String id) {
        return verdictReason(id, target);
    }

    public String verdictReason(String id, Target t) {
        LayerCheck c = checks.get(id);
        if (c == null) {
            return shapes.error(id);
        }
        Finding f = c.finding(t);
        return f.rule().id() + ": " + f.reason();
    }

    /** The fixes the checker offers for this layer. */
    public List<Fix> fixes(String id) {
        LayerCheck c = checks.get(id);
        return c == null ? List.of() : c.fixes();
    }

    /** A short description of the first fix offered for this layer, or null. */
    public String fixDescription(String id) {
        List<Fix> f = fixes(id);
        return f.isEmpty() ? null : f.get(0).title();
    }

    /** The KPU layer this layer belongs to, or null. */
    public KpuGroup kpuGroupOf(String id) {
        return groupOf.get(id);
    }

    /** Member ids of every KPU layer, in run order. */
    public List<List<String>> kpuGroups() {
        List<List<String>> out = new ArrayList<>();
        for (KpuGroup k : groups) {
            out.add(k.layerIds());
        }
        return out;
    }

    public MemoryEstimate memory() {
        return memory;
    }

    /** Total number of weight values (parameters) in the network. */
    public long parameters() {
        return parameters;
    }

    /** Layers whose verdict for the current target is not plain KPU, plus memory-budget errors; worst first. */
    public List<Problem> problems() {
        return problems;
    }

    /** Number of layers the converter would refuse for the current target. */
    public long unsupportedCount() {
        return problems.stream().filter(p -> p.verdict() == Verdict.UNSUPPORTED).count();
    }

    /** Every fix offered for the current target (first one per layer). */
    public List<Fix> allFixes() {
        List<Fix> out = new ArrayList<>();
        for (Problem p : problems) {
            if (p.fix() != null) {
                out.add(p.fix());
            }
        }
        return out;
    }

    private List<Problem> buildProblems(Graph g) {
        List<Problem> out = new ArrayList<>();
        for (Layer l : g.layers()) {
            LayerCheck c = checks.get(l.id());
            if (c == null) {
                continue;
            }
            Finding f = c.finding(target);
            Fix fix = null;
            for (Fix x : c.fixes()) {
                if (x.layerId().equals(l.id())) {
                    fix = x;
                    break;
                }
            }
            boolean groupMemberNotHead = c.groupId() != null && !c.groupId().equals(l.id());
            if (f.verdict() == Verdict.KPU) {
                continue; // fully accelerated for this target: nothing to report or fix here
            }
            if (groupMemberNotHead && fix == null) {
                continue; // absorbed layers repeat their conv's verdict; the conv's row says it once
            }
            out.add(new Problem(l.id(), l.name(), l.params().kerasName(), f.verdict(), f.rule(), f.reason(), fix));
        }
        for (String gp : report.graphProblems()) {
            out.add(new Problem(null, null, null, Verdict.UNSUPPORTED, Rule.G1, gp, null));
        }
        if (memory != null) {
            for (String m : memory.problems()) {
                if (m.startsWith("main RAM")) { // KPU RAM (MEM1) problems are already on their layers
                    out.add(new Problem(null, null, null, Verdict.UNSUPPORTED, Rule.MEM2, m, null));
                }
            }
        }
        out.sort((a, b) -> Integer.compare(a.severity(), b.severity()));
        return out;
    }
}
