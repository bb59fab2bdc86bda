package k210studio.converter.compile.lower;

import java.util.Map;
import java.util.Set;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ZeroPadding2D;

/**
 * What {@link PaddingMapping} decided for every convolution of the graph.
 *
 * @param reasons     per conv id, why it does not suit the KPU, or no entry when it does
 * @param specs       per KPU-suited conv, its TensorFlow geometry with any absorbed padding
 * @param mappings    per KPU-suited conv, its KPU mapping, or null when its geometry cannot be mapped
 * @param padAbsorbed the ZeroPadding2D layers that became part of the next conv's padding
 */
record ConvMappings(Map<String, String> reasons, Map<String, ConvSpec> specs, Map<String, ConvMapping> mappings,
                    Set<String> padAbsorbed, Set<String> padAbsorbers) {

    /** Null when the conv suits the KPU (before its padding is mapped), else why not. */
    String reason(String convId) {
        return reasons.get(convId);
    }

    ConvSpec spec(String convId) {
        return specs.get(convId);
    }

    /** The KPU mapping of a KPU-suited conv (null when its geometry cannot be mapped, or not a KPU-suited conv). */
    ConvMapping mapping(String convId) {
        return mappings.get(convId);
    }

    /** Whether the layer is a conv that runs on the KPU. */
    boolean onKpu(String id) {
        return specs.containsKey(id) && mappings.get(id) != null;
    }

    /** Whether a ZeroPadding2D right before this conv can become part of its padding. */
    boolean absorbsPadding(String convId) {
        return padAbsorbers.contains(convId);
    }

    /** Whether a layer could be the conv of a KPU group (or a padding such a conv absorbs). */
    boolean kpuCandidate(LoweringContext ctx, Layer l) {
        if (l.params() instanceof ZeroPadding2D) {
            String c = ctx.soleConsumer(l.id());
            return c != null && absorbsPadding(c) && kpuCandidate(ctx, ctx.g.layer(c));
        }
        return onKpu(l.id());
    }
}
