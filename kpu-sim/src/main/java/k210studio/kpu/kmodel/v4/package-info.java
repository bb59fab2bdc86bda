/**
 * kmodel V4 (nncase v0.2.0-alpha1 .. beta4; spec: shared/docs/kmodel-v4.md).
 * <ul>
 * <li>{@link k210studio.kpu.kmodel.v4.V4Reader} reads bytes into an immutable
 * {@link k210studio.kpu.kmodel.v4.V4Model} (header, input ranges and NCHW shapes, output ranges,
 * constants, one typed body per node from {@code v4.body}); every read is bounds-checked and fails
 * with {@link k210studio.kpu.kmodel.KmodelFormatException} naming offset and field; the last body's
 * alignment padding may be missing; kpu_conv2d tables are found through their stored gaps, so both
 * the alpha (8/256/128) and beta (256/256/256) alignments load.</li>
 * <li>{@link k210studio.kpu.kmodel.v4.V4Writer} writes a model back byte for byte (nodes from a file
 * keep their stored padding) or lays out new nodes like ncc beta4
 * ({@link k210studio.kpu.kmodel.v4.V4Node#of}).</li>
 * <li>{@link k210studio.kpu.kmodel.v4.V4BodyLayouts} declares every opcode's body once (§6-§8, fields,
 * types, value ranges, memory-range roles); that table reads, writes, range checks and feeds
 * {@code dump} (engine: {@code k210studio.kpu.kmodel.layout}).</li>
 * <li>{@link k210studio.kpu.kmodel.v4.V4Kmodel} adapts a model to the version-independent
 * {@link k210studio.kpu.kmodel.Kmodel} API (registered for {@link k210studio.kpu.kmodel.KmodelFiles}
 * by {@link k210studio.kpu.kmodel.v4.V4KmodelLoader}); V4 stores no output shapes, so outputs are flat
 * unless {@link k210studio.kpu.kmodel.v4.V4Kmodel#withOutputShapes} sets them (MaixPy's
 * {@code kpu.set_outputs}).</li>
 * <li>{@code v4.runtime} executes models with the nncase v0.2.0-beta4 runtime's semantics.</li>
 * </ul>
 */
package k210studio.kpu.kmodel.v4;
