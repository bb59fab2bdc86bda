package k210studio.ir.rules;

import java.util.List;

/**
 * Whole-model memory for one target: the KPU RAM timeline (one entry per KPU layer, in run
 * order) with its peak, and the main RAM the model needs (8-bit KPU weights, BN and activation
 * tables, float weights of CPU layers, CPU buffers), checked against a firmware budget.
 *
 * @param problems  budget errors, each naming the layer that breaks the budget (empty when it fits)
 */
public record MemoryEstimate(Target target, List<KpuLayerMemory> kpuLayers, long kpuPeakBytes, String kpuPeakLayer,
                             long weightBytes, long tableBytes, long cpuBufferBytes, MemoryBudget budget,
                             List<String> problems) {
    public MemoryEstimate {
        kpuLayers = List.copyOf(kpuLayers);
        problems = List.copyOf(problems);
    }

    /** Main RAM needed: weights + tables + CPU buffers. */
    public long mainBytes() {
        return weightBytes + tableBytes + cpuBufferBytes;
    }

    public boolean fits() {
        return problems.isEmpty();
    }
}
