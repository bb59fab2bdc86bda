package k210studio.kpu.kmodel;

/**
 * What one layer did during a run.
 *
 * @param index           layer (V3) or node (V4) index in execution order
 * @param type            the layer type name as the format spec spells it (e.g. {@code K210_CONV})
 * @param unit            KPU or CPU
 * @param output          a snapshot of the layer's output tensor, or null when snapshots are off
 *                        ({@link RunOptions#traceOutputs()}) or the layer has no tensor output
 * @param estimatedCycles estimated K210 cycles for the layer (KPU clock for KPU layers, CPU clock
 *                        for CPU layers; kpu-arith.md §7 for the KPU)
 * @param kpuRamBytes     bytes of KPU RAM occupied by live feature maps after the layer
 */
public record LayerTrace(int index, String type, ExecutionUnit unit, KmodelTensor output, long estimatedCycles,
                         long kpuRamBytes) {
}
