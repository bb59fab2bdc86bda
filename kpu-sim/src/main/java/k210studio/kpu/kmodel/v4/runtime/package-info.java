/**
 * The kmodel V4 runtime ({@link k210studio.kpu.kmodel.v4.runtime.V4Interpreter}): the memory pools of
 * kmodel-v4.md §3.8 (constants, main memory of header.main_mem bytes, the 2 MiB KPU RAM), input
 * feeding (main: bytes as given; KPU: dense NCHW re-laid out in the KPU row layout), one kernel per
 * opcode reproducing the nncase v0.2.0-beta4 runtime including its quirks, kpu_conv2d on the chip's
 * {@link k210studio.kpu.chip.Kpu} with the run's rule set (BETA4 by default), a per-node trace, and a
 * work budget. Every problem caused by the model bytes is a
 * {@link k210studio.kpu.kmodel.KmodelFormatException} naming the node and the field.
 */
package k210studio.kpu.kmodel.v4.runtime;
