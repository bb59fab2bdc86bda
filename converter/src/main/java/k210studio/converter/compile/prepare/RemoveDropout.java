package k210studio.converter.compile.prepare;

import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Dropout;

/** Dropout is the identity at inference: every Dropout layer is removed. */
public final class RemoveDropout implements GraphPass {
    @Override
    public String name() {
        return "remove-dropout";
    }

    @Override
    public String purpose() {
        return "Dropout does nothing at inference; remove it";
    }

    @Override
    public void apply(Graph g) {
        for (Layer l : g.layers()) {
            if (l.params() instanceof Dropout) {
                GraphEdits.bypass(g, l.id());
            }
        }
    }
}
