/**
 * kmodel V3 (nncase v0.1.0-rc5, Kendryte SDK V0.5.x, MaixPy): {@link k210studio.kpu.kmodel.v3.V3Model}
 * (immutable: header, output table, layers with one body record per layer type of kmodel-v3.md
 * §3–§5), {@link k210studio.kpu.kmodel.v3.V3Reader} (bounds-checked; accepts the 0–7 trailing padding
 * bytes nncase leaves out), {@link k210studio.kpu.kmodel.v3.V3Writer} (reproduces every fixture byte
 * for byte; see its javadoc for the trailing-padding rule), {@link k210studio.kpu.kmodel.v3.V3BodyLayouts} (every
 * layer body declared once: fields, types, ranges, K210_CONV's aligned sub-blocks) and {@link k210studio.kpu.kmodel.v3.V3Runtime}
 * (runs the layers as the SDK's kpu.c does, K210_CONV on the simulated KPU of
 * {@code k210studio.kpu.chip}).
 */
package k210studio.kpu.kmodel.v3;
