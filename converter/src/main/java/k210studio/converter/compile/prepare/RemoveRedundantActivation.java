package k210studio.converter.compile.prepare;

import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.StaticRange;
import k210studio.ir.layer.ActivationFn;

/**
 * Removes an element-wise activation that cannot change its input ({@link StaticRange#makesIdentity}): a ReLU after
 * Flatten of a ReLU conv, as Keras users write it, or a ReLU6 whose input is already in [0, 6]. Left in, it would be
 * a CPU layer of its own, which kmodel V3 has not got.
 */
public final class RemoveRedundantActivation implements GraphPass {
    @Override
    public String name() {
        return "remove-redundant-activation";
    }

    @Override
    public String purpose() {
        return "an activation that cannot change its input (ReLU after Flatten of a ReLU layer) → removed";
    }

    @Override
    public void apply(Graph g) {
        for (Layer act : g.layers()) {
            ActivationFn fn = GraphEdits.singleInputActivation(g, act);
            if (fn != null && StaticRange.makesIdentity(fn, g, g.inputsOf(act.id()).get(0)) != null) {
                GraphEdits.bypass(g, act.id());
            }
        }
    }
}
