package k210studio.ir.rules;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;

/**
 * The live K210 rule checker: for every layer a verdict for V3 and for V4 with a reason, the
 * rule id and the fixes, plus KPU groups and memory ({@code docs/k210-rules.md}). Read-only: it
 * never changes the graph (fixes are commands to execute through an
 * {@link k210studio.ir.edit.EditHistory}). Fast enough to run after every edit.
 */
public final class K210Checker {
    private K210Checker() {
    }

    /** Checks both targets against the bare-SDK budget (the chip's whole 6 MiB). */
    public static CheckReport check(Graph graph) {
        return check(graph, MemoryBudget.BARE_SDK);
    }

    public static CheckReport check(Graph graph, MemoryBudget budget) {
        CheckContext ctx = new CheckContext(graph);
        KpuGrouper.Grouping grouping = KpuGrouper.find(ctx);
        Map<String, KpuGroupRules.Result> groupResults = new HashMap<>();
        Map<String, LayerRules.Result> layerResults = new HashMap<>();
        for (KpuGroup g : grouping.groups()) {
            groupResults.put(g.convId(), KpuGroupRules.check(ctx, g, grouping));
        }
        for (String id : ctx.order) {
            if (!grouping.byLayer().containsKey(id)) {
                layerResults.put(id, LayerRules.check(ctx, id, grouping));
            }
        }
        // graph structure and shape errors make the layer unconvertible
        List<String> graphProblems = new ArrayList<>();
        Map<String, List<RuleHit>> structural = new HashMap<>();
        for (GraphException e : graph.problems()) {
            if (e.layerId() != null && graph.contains(e.layerId())) {
                structural.computeIfAbsent(e.layerId(), k -> new ArrayList<>()).add(new RuleHit(Rule.G1, Verdict.UNSUPPORTED, e.getMessage()));
            }
            graphProblems.add(e.getMessage());
        }
        for (String id : ctx.order) {
            String err = ctx.shapes.error(id);
            if (err != null) {
                structural.computeIfAbsent(id, k -> new ArrayList<>()).add(new RuleHit(Rule.G1, Verdict.UNSUPPORTED, err));
            }
        }
        for (Map.Entry<String, List<RuleHit>> e : structural.entrySet()) {
            KpuGroup g = grouping.byLayer().get(e.getKey());
            if (g != null) {
                groupResults.get(g.convId()).v3.addAll(e.getValue());
                groupResults.get(g.convId()).v4.addAll(e.getValue());
            } else {
                layerResults.get(e.getKey()).v3.addAll(e.getValue());
                layerResults.get(e.getKey()).v4.addAll(e.getValue());
            }
        }
        // memory (may add MEM1 hits), then the findings
        Map<Target, MemoryEstimate> memory = new EnumMap<>(Target.class);
        for (Target t : Target.values()) {
            Map<String, Verdict> verdicts = new HashMap<>();
            for (String id : ctx.order) {
                KpuGroup g = grouping.byLayer().get(id);
                List<RuleHit> hits = g != null ? hits(groupResults.get(g.convId()), t) : hits(layerResults.get(id), t);
                Verdict v = g != null ? Verdict.KPU : Verdict.UNSUPPORTED;
                if (!hits.isEmpty()) {
                    v = Verdict.KPU;
                    for (RuleHit h : hits) {
                        v = v.worst(h.verdict());
                    }
                }
                verdicts.put(id, v);
            }
            memory.put(t, MemoryEstimator.estimate(ctx, t, grouping, groupResults, layerResults, verdicts, budget));
        }
        List<LayerCheck> checks = new ArrayList<>();
        Map<String, Finding[]> groupFindings = new HashMap<>();
        for (String id : ctx.order) {
            Layer l = graph.layer(id);
            KpuGroup g = grouping.byLayer().get(id);
            List<Fix> fixes = new ArrayList<>();
            if (g == null) {
                fixes.addAll(layerResults.get(id).fixes);
            } else if (g.convId().equals(id)) {
                fixes.addAll(groupResults.get(id).fixes);
            }
            Finding[] f = g != null ? groupFindings.get(g.id()) : null;
            if (f == null) {
                f = new Finding[] {finding(id, Target.V3, grouping, groupResults, layerResults),
                    finding(id, Target.V4, grouping, groupResults, layerResults)};
                if (g != null) {
                    groupFindings.put(g.id(), f);
                }
            }
            checks.add(new LayerCheck(id, l.name(), l.params().kerasName(), g == null ? null : g.id(), f[0], f[1], fixes));
        }
        return new CheckReport(checks, grouping.groups(), memory, graphProblems);
    }

    private static List<RuleHit> hits(KpuGroupRules.Result r, Target t) {
        return t == Target.V3 ? r.v3 : r.v4;
    }

    private static List<RuleHit> hits(LayerRules.Result r, Target t) {
        return t == Target.V3 ? r.v3 : r.v4;
    }

    private static Finding finding(String id, Target t, KpuGrouper.Grouping grouping, Map<String, KpuGroupRules.Result> groupResults,
                                   Map<String, LayerRules.Result> layerResults) {
        KpuGroup g = grouping.byLayer().get(id);
        if (g != null) {
            KpuGroupRules.Result r = groupResults.get(g.convId());
            List<RuleHit> hits = t == Target.V3 ? r.v3 : r.v4;
            return Finding.of(hits, new RuleHit(Rule.KPU_OK, Verdict.KPU, describe(g)));
        }
        LayerRules.Result r = layerResults.get(id);
        List<RuleHit> hits = t == Target.V3 ? r.v3 : r.v4;
        return Finding.of(hits, new RuleHit(Rule.M6, Verdict.UNSUPPORTED, "no rule covers this layer"));
    }

    private static String describe(KpuGroup g) {
        Map<String, String> parts = new LinkedHashMap<>();
        if (g.paddingId() != null) {
            parts.put("padding", "padding");
        }
        parts.put("conv", "conv");
        if (g.batchNormId() != null) {
            parts.put("bn", "batch-norm");
        }
        if (g.activationId() != null) {
            parts.put("act", "activation");
        }
        if (g.poolId() != null) {
            parts.put("pool", "pooling");
        }
        return "one KPU layer (" + String.join(" + ", parts.values()) + "), input " + g.input() + " → output " + g.output();
    }
}
