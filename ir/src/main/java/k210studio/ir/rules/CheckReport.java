package k210studio.ir.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the checker found for one graph, for both targets: per-layer verdicts, reasons and
 * fixes (in topological order), the KPU groups, the memory estimates and model-level problems.
 * Immutable; made by {@link K210Checker#check}.
 */
public final class CheckReport {
    private final List<LayerCheck> layers;
    private final Map<String, LayerCheck> byId = new LinkedHashMap<>();
    private final List<KpuGroup> groups;
    private final Map<String, KpuGroup> groupByLayer = new LinkedHashMap<>();
    private final Map<Target, MemoryEstimate> memory;
    private final List<String> graphProblems;

    CheckReport(List<LayerCheck> layers, List<KpuGroup> groups, Map<Target, MemoryEstimate> memory, List<String> graphProblems) {
        this.layers = List.copyOf(layers);
        this.groups = List.copyOf(groups);
        this.memory = Collections.unmodifiableMap(new EnumMap<>(memory));
        this.graphProblems = List.copyOf(graphProblems);
        for (LayerCheck l : layers) {
            byId.put(l.layerId(), l);
        }
        for (KpuGroup g : groups) {
            for (String id : g.layerIds()) {
                groupByLayer.put(id, g);
            }
        }
    }

    /** One entry per layer, in topological order. */
    public List<LayerCheck> layers() {
        return layers;
    }

    /** The check of one layer, or null if there is no such layer. */
    public LayerCheck layer(String layerId) {
        return byId.get(layerId);
    }

    /** The fused KPU layers (the studio draws each as one box). */
    public List<KpuGroup> groups() {
        return groups;
    }

    /** The group a layer belongs to, or null. */
    public KpuGroup groupOf(String layerId) {
        return groupByLayer.get(layerId);
    }

    /** Every fix offered, in layer order. */
    public List<Fix> fixes() {
        List<Fix> out = new ArrayList<>();
        for (LayerCheck l : layers) {
            out.addAll(l.fixes());
        }
        return out;
    }

    public MemoryEstimate memory(Target t) {
        return memory.get(t);
    }

    /** Structural problems of the graph (cycle, missing input, wrong number of inputs). */
    public List<String> graphProblems() {
        return graphProblems;
    }

    /** Everything that stops the model for this target: graph problems, unsupported layers, memory budget errors. */
    public List<String> problems(Target t) {
        List<String> out = new ArrayList<>(graphProblems);
        for (LayerCheck l : layers) {
            Finding f = l.finding(t);
            if (f.verdict() == Verdict.UNSUPPORTED && (l.groupId() == null || l.groupId().equals(l.layerId()))) {
                out.add(l.name() + " (" + l.type() + "): " + f.rule().id() + " " + f.reason());
            }
        }
        for (String p : memory.get(t).problems()) {
            if (!out.contains(p) && p.startsWith("main RAM")) {
                out.add(p);
            }
        }
        return out;
    }

    /** True when the converter for this target accepts the model: no unsupported layer, no graph problem, feature maps fit the KPU RAM. */
    public boolean convertsFor(Target t) {
        if (!graphProblems.isEmpty()) {
            return false;
        }
        for (LayerCheck l : layers) {
            if (l.verdict(t) == Verdict.UNSUPPORTED) {
                return false;
            }
        }
        return true;
    }

    /** True when the model also fits the main-RAM budget it was checked against. */
    public boolean fitsMemory(Target t) {
        return memory.get(t).fits();
    }

    /** Converts and fits: the model can be exported and run for this target. */
    public boolean deployableFor(Target t) {
        return convertsFor(t) && fitsMemory(t);
    }

    /** Layers with this verdict for this target. */
    public List<LayerCheck> withVerdict(Target t, Verdict v) {
        List<LayerCheck> out = new ArrayList<>();
        for (LayerCheck l : layers) {
            if (l.verdict(t) == v) {
                out.add(l);
            }
        }
        return out;
    }
}
