package k210studio.converter.compile.lower;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import k210studio.converter.compile.KpuAxisPlan;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ZeroPadding2D;

/**
 * Lowering pass 1 — padding mapping: for every convolution that suits the KPU, map TensorFlow's padding and stride
 * onto the KPU's fixed (k − 1) / 2 padding and its pool-stage down-sampling (KPU padding, CPU pad/crop around it on
 * V4, a deferred stride, V3's odd-grid pick, V4's strided slice), and fold a ZeroPadding2D into the conv after it.
 */
final class PaddingMapping {
    private PaddingMapping() {
    }

    static ConvMappings run(LoweringContext ctx) {
        Map<String, String> reasons = new HashMap<>();
        Map<String, ConvSpec> specs = new HashMap<>();
        Map<String, ConvMapping> mappings = new HashMap<>();
        Set<String> absorbers = new HashSet<>();
        for (Layer l : ctx.g.layers()) {
            if (!KpuConvSuitability.isConv(l)) {
                continue;
            }
            String why = KpuConvSuitability.reason(ctx, l);
            if (why != null) {
                reasons.put(l.id(), why);
                continue;
            }
            ConvSpec s = ConvSpec.of(ctx, l);
            specs.put(l.id(), s);
            mappings.put(l.id(), mapping(ctx, l, s));
            if (KpuConvSuitability.absorbsPadding(ctx, l)) {
                absorbers.add(l.id());
            }
        }
        Set<String> absorbed = new HashSet<>();
        for (Layer l : ctx.g.layers()) {
            String c = l.params() instanceof ZeroPadding2D ? ctx.soleConsumer(l.id()) : null;
            if (c != null && absorbers.contains(c) && mappings.get(c) != null) {
                absorbed.add(l.id());
            }
        }
        return new ConvMappings(reasons, specs, mappings, absorbed, absorbers);
    }

    /** The KPU mapping of a KPU-suited conv for this target, or null when its geometry cannot be mapped. */
    private static ConvMapping mapping(LoweringContext ctx, Layer l, ConvSpec s) {
        if (ctx.v3()) {
            ConvMapping odd = OddGridPick.mapping(s);
            if (odd != null) {
                return odd;
            }
        }
        if (!ctx.v3() && s.depthwise() && s.stride() == 2 && !StrideDeferral.deferrable(ctx, l)) {
            return StridedSliceFallback.mapping(s);
        }
        KpuAxisPlan rows = KpuAxisPlan.of(s.in().h(), s.k(), s.stride(), s.padTop(), s.padBottom(), s.out().h(), false);
        KpuAxisPlan cols = KpuAxisPlan.of(s.in().w(), s.k(), s.stride(), s.padLeft(), s.padRight(), s.out().w(), true);
        if (rows == null || cols == null) {
            return null;
        }
        if (s.stride() == 2 && (rows.padBefore() + rows.padAfter() + cols.padBefore() + cols.padAfter() > 0)) {
            rows = rows.evenTotal(s.in().h());
            cols = cols.evenTotal(s.in().w());
        }
        boolean defer = s.depthwise() && s.stride() == 2 && StrideDeferral.deferrable(ctx, l);
        ConvMapping m = new ConvMapping(rows, cols, defer, 0, 0);
        boolean impossible = (s.depthwise() && s.stride() == 2 && !defer) || (ctx.v3() && (m.needsCpu() || defer && m.prePads()));
        if (!ConvSpec.kpuInputFits(s.in().h() + rows.padBefore() + rows.padAfter(), s.in().w() + cols.padBefore() + cols.padAfter())) {
            impossible = true;
        }
        return impossible ? null : m;
    }

    /** Why a KPU-suited conv's geometry cannot be mapped (a sentence for the user). */
    static String geometryReason(LoweringContext ctx, Layer l, ConvSpec s) {
        int kpuH = s.in().h();
        int kpuW = s.in().w();
        if (!ConvSpec.kpuInputFits(kpuH, kpuW)) {
            return "its input " + kpuW + "×" + kpuH + " (W×H) is outside the KPU bounds 4 ≤ H ≤ 256, 4 ≤ W ≤ 512";
        }
        if (s.depthwise() && s.stride() == 2 && !StrideDeferral.deferrable(ctx, l)) {
            return "a depthwise stride-2 conv must be followed by a 1×1 conv that takes over its down-sampling";
        }
        String pads = "(" + s.padTop() + "," + s.padBottom() + "),(" + s.padLeft() + "," + s.padRight() + ")";
        if (ctx.v3()) {
            return "its TensorFlow padding " + pads + " with stride " + s.stride() + " needs CPU padding or cropping around the "
                    + "KPU layer, and kmodel V3 has no layer for that";
        }
        return "its TensorFlow padding " + pads + " with stride " + s.stride() + " cannot be expressed on the KPU";
    }
}
