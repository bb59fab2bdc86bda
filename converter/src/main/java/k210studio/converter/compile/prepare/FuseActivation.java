package k210studio.converter.compile.prepare;

import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.LayerParams;

/**
 * An element-wise activation layer that is a linear convolution's sole consumer becomes that convolution's
 * {@code activation}: on the KPU it is the conv's activation table, at no cost.
 */
public final class FuseActivation implements GraphPass {
    @Override
    public String name() {
        return "fuse-activation";
    }

    @Override
    public String purpose() {
        return "conv → activation layer → the conv's own activation (the KPU's activation table)";
    }

    @Override
    public void apply(Graph g) {
        for (Layer act : g.layers()) {
            ActivationFn fn = GraphEdits.singleInputActivation(g, act);
            if (fn == null) {
                continue;
            }
            String convId = g.inputsOf(act.id()).get(0);
            if (!GraphEdits.feedsOnly(g, convId)) {
                continue;
            }
            Layer conv = g.layer(convId);
            LayerParams fused = GraphEdits.withFusedActivation(conv.params(), fn);
            if (fused != null) {
                g.replaceLayer(conv.withParams(fused));
                GraphEdits.bypass(g, act.id());
            }
        }
    }
}
