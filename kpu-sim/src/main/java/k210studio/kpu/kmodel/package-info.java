/**
 * Version-independent kmodel API shared by the V3 ({@code .v3}) and V4 ({@code .v4}) packages.
 * <ul>
 * <li>{@link k210studio.kpu.kmodel.KmodelFiles}: sniff the version and parse any kmodel;</li>
 * <li>{@link k210studio.kpu.kmodel.Kmodel}: a parsed model; {@link k210studio.kpu.kmodel.KmodelRuntime}:
 * runs it and returns a {@link k210studio.kpu.kmodel.RunResult} (typed output tensors plus a
 * {@link k210studio.kpu.kmodel.LayerTrace} per layer);</li>
 * <li>{@link k210studio.kpu.kmodel.KmodelFormatException}: THE documented error for bad model bytes;</li>
 * <li>{@link k210studio.kpu.kmodel.KmodelLoader}: each version registers one in
 * {@code META-INF/services/k210studio.kpu.kmodel.KmodelLoader} (one line per version);</li>
 * <li>{@code .layout}: the declarative body layouts both versions' tables are written in.</li>
 * </ul>
 */
package k210studio.kpu.kmodel;
