package k210studio.kpu.chip;

/**
 * Estimated K210 KPU cycles of one layer, from the latency model of kpu-arith.md §7 (fitted to Sipeed's
 * measurements of 3×3 16-bit layers at 300 MHz, ±10 % for W ≥ 32):
 *
 * <pre>
 *   compute  ≈ 1.03 · C_out · ceil(C_in / g_in) · row_len_in · H_in      (full conv)
 *   compute  ≈ 1.03 · ceil(C / g_in) · row_len_in · H_in                  (depthwise)
 *   weights  ≈ weight bytes / 3.24  (the 91 000-cycle constant measured with 288 KiB of 16-bit weights)
 * </pre>
 *
 * The conv is always computed at full input resolution, so pooling does not reduce the cost, and 1×1
 * costs the same per line as 3×3. The weight-load term scales with the bytes loaded (8-bit layers load
 * half the bytes of the same layer in 16-bit mode). Batches (V4) repeat the whole layer.
 *
 * @param computeCycles    cycles of the MAC array
 * @param weightLoadCycles cycles spent fetching weights and tables
 * @param batches          number of batches included
 */
public record KpuTiming(long computeCycles, long weightLoadCycles, int batches) {
    /** Bytes of weights per cycle implied by the 91 000-cycle constant (288 KiB of 16-bit weights). */
    public static final double WEIGHT_BYTES_PER_CYCLE = 288.0 * 1024 / 91_000;
    /** The per-line factor of the model. */
    public static final double LINE_FACTOR = 1.03;
    /** The KPU clock nncase's examples use (PLL1 = 400 MHz). */
    public static final long DEFAULT_KPU_CLOCK_HZ = 400_000_000L;

    /** Total estimated cycles (all batches). */
    public long totalCycles() {
        return (computeCycles + weightLoadCycles) * batches;
    }

    /** Estimated milliseconds at a KPU clock. */
    public double millis(long clockHz) {
        return totalCycles() * 1000.0 / clockHz;
    }

    /** Estimate for one layer, one batch. */
    public static KpuTiming estimate(KpuLayerArgument layer, boolean eightBit) {
        return estimate(layer, eightBit, 1);
    }

    /** Estimate for one layer run over {@code batches} batches. */
    public static KpuTiming estimate(KpuLayerArgument layer, boolean eightBit, int batches) {
        KpuRowLayout in = layer.inputLayout();
        long blocks = (layer.inputChannels() + in.groups() - 1) / in.groups();
        long lines = blocks * in.rowLen() * layer.inputHeight();
        long perOutput = layer.depthwise() ? 1 : layer.outputChannels();
        long compute = (long) Math.ceil(LINE_FACTOR * perOutput * lines);
        int k = Math.max(1, layer.kernelSize());
        long weightBytes = (layer.depthwise() ? (long) layer.outputChannels() * k * k
                : (long) layer.inputChannels() * layer.outputChannels() * k * k) * (eightBit ? 1 : 2);
        long tableBytes = 8L * layer.outputChannels() + KpuActivationTable.BYTES;
        long load = Math.round((weightBytes + tableBytes) / WEIGHT_BYTES_PER_CYCLE);
        return new KpuTiming(compute, load, Math.max(1, batches));
    }
}
