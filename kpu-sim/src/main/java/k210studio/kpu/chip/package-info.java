/**
 * The K210 KPU as a library, bit-exact to nncase's emulators (kpu-arith.md §1–§3, §7): the layer
 * registers ({@link k210studio.kpu.chip.KpuLayerArgument}, {@link k210studio.kpu.chip.KpuField}), the
 * 2 MiB KPU RAM and its row layout ({@link k210studio.kpu.chip.KpuRam},
 * {@link k210studio.kpu.chip.KpuRowLayout}), the BN and activation tables, the layer pipeline
 * ({@link k210studio.kpu.chip.Kpu#runLayer}) under either nncase rule set
 * ({@link k210studio.kpu.kmodel.KpuRules}) and a cycle estimate ({@link k210studio.kpu.chip.KpuTiming}).
 *
 * <p>Typical use by a kmodel runtime: at load time build one {@link k210studio.kpu.chip.KpuLayerArgument}
 * and one {@link k210studio.kpu.chip.KpuConvData} per KPU layer; per inference upload the input with
 * {@link k210studio.kpu.chip.KpuRam#upload}, call {@code kpu.runLayer(ram, layer, data, rules)} per
 * layer and, for a main-memory output, {@link k210studio.kpu.chip.KpuLayerResult#copyTo}.
 */
package k210studio.kpu.chip;
