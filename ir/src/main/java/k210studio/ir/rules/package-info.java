/**
 * The live K210 rule checker ({@code docs/k210-rules.md}): {@link k210studio.ir.rules.K210Checker#check}
 * gives, for every layer and for both kmodel targets, a {@link k210studio.ir.rules.Verdict} (KPU,
 * KPU+CPU, CPU, UNSUPPORTED) with the rule id and a reason, the fixes as undoable commands, the
 * fused KPU groups and a memory estimate.
 *
 * <h2>Sources and readings</h2>
 * V3 follows nncase v0.1.0-rc5 (its K210 transforms and the V3 layer list), V4 follows nncase
 * v0.2.0-beta4 ({@code fake_kpu_conv2d}, {@code matmul_to_fake_kpu_conv2d}, {@code kpu_utils.h}).
 * Where the rule page and the code-citing notes differ, these readings were taken:
 * <ul>
 *   <li>K3, TF 'same' stride 2 on an even size, V3: rc5's {@code K210Stride2Conv2dTransform} does map
 *       it to the KPU, but with every output shifted by one pixel against TensorFlow (maintainer,
 *       nncase #47). The checker reports it as UNSUPPORTED (not convertible correctly), as the rule
 *       page does, and offers the ZeroPadding2D + 'valid' fix, which computes exactly what the KPU does.</li>
 *   <li>K3, 'valid' 3×3 without padding, V3: rc5 maps a 3×3 conv only with 'same' padding or after a
 *       Pad/SpaceToBatchND ({@code K210SameConv2dTransform}, {@code K210SpaceToBatchNdAndValidConv2dTransform})
 *       and V3 has no CPU convolution: UNSUPPORTED. V4: KPU+CPU (Crop).</li>
 *   <li>K4: V4 maps convs with input 4…256 rows × 4…512 columns (also after its CPU pre-pad), else a
 *       float CPU conv; inputs beyond the FAQ's 320×240 (W×H) but within that bound stay KPU with a note.
 *       V3: outside the bound UNSUPPORTED.</li>
 *   <li>K6, more than 1024 channels, V4: beta4 silently keeps a float CPU conv (CPU), V3 UNSUPPORTED.</li>
 *   <li>K8: V3 programs the KPU activation table only for linear, ReLU, ReLU6 and LeakyReLU (rc5
 *       {@code K210Conv2d.QuantizeActivation}); a sigmoid becomes a CPU LOGISTIC layer (KPU+CPU), tanh,
 *       hard-sigmoid, swish have no V3 layer (UNSUPPORTED). V4 fits any element-wise function. PReLU:
 *       V4 CPU as the rule page says (the studio lowers it to element-wise CPU ops; nncase 0.2's own
 *       TFLite importer has no PRELU), V3 UNSUPPORTED.</li>
 *   <li>K9/K10: a pool is fused only after a stride-1, non-depthwise conv (a stride-2 conv already uses
 *       the pooling stage for its left-top select); otherwise it is a CPU pooling layer.
 *       Stride-2 depthwise: both versions move the stride to a directly following 1×1 stride-1 conv
 *       (rc5 {@code K210SeparableConv2dTransform} also needs the Pad + 'valid' form); without one, V3
 *       UNSUPPORTED and V4 KPU+CPU (StridedSlice).</li>
 *   <li>M1: V3 pads a fully connected layer to 4×4 for the KPU when inputs and outputs are ≤ 1024
 *       (else float FULLY_CONNECTED on the CPU); V4 also needs ≥ 1024 weights and a weight range ≤ 64.</li>
 *   <li>M3: standalone BatchNormalization, ZeroPadding2D and ReLU/ReLU6/LeakyReLU have no V3 layer
 *       (rc5's TFLite importer has no RELU/RELU6 op): UNSUPPORTED; V4 runs them on the CPU.</li>
 *   <li>Q1 (not on the rule page): nncase 0.2 keeps a conv or matmul as float on the CPU when its
 *       BN-folded weights span more than {@code --weights-quantize-threshold} (64).</li>
 *   <li>Dropout is dropped by the converters; it is reported as CPU with "nothing runs".</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * KPU RAM per KPU layer uses the 64-byte-line layout of {@code kpu-arith.md} §1.2–1.3
 * ({@link k210studio.ir.rules.KpuLayout}); main RAM is an estimate of the kmodel loaded into RAM
 * plus CPU buffers, checked against {@link k210studio.ir.rules.MemoryBudget} presets.
 */
package k210studio.ir.rules;
