package k210studio.converter.compile.prepare;

import java.util.HashSet;
import java.util.List;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Concatenate;

/**
 * An element-wise activation right after a Concatenate whose inputs are all linear convolutions feeding only that
 * concatenation moves onto each convolution: act(concat(a, b)) = concat(act(a), act(b)) exactly, and the KPU then
 * applies it in each conv's activation table (as in the ULFFD face detector's SSH-style context modules).
 */
public final class PushActivationIntoConcat implements GraphPass {
    @Override
    public String name() {
        return "push-activation-into-concat";
    }

    @Override
    public String purpose() {
        return "act(concat(conv, conv…)) → concat(conv+act, conv+act…), so the KPU applies the activation";
    }

    @Override
    public void apply(Graph g) {
        for (Layer act : g.layers()) {
            ActivationFn fn = GraphEdits.singleInputActivation(g, act);
            if (fn == null) {
                continue;
            }
            String concatId = g.inputsOf(act.id()).get(0);
            if (!(g.layer(concatId).params() instanceof Concatenate) || !GraphEdits.feedsOnly(g, concatId)) {
                continue;
            }
            List<String> ins = g.inputsOf(concatId);
            boolean allLinearConvs = new HashSet<>(ins).size() == ins.size();
            for (String in : ins) {
                allLinearConvs &= GraphEdits.withFusedActivation(g.layer(in).params(), fn) != null && GraphEdits.feedsOnly(g, in);
            }
            if (!allLinearConvs) {
                continue;
            }
            for (String in : ins) {
                Layer conv = g.layer(in);
                g.replaceLayer(conv.withParams(GraphEdits.withFusedActivation(conv.params(), fn)));
            }
            GraphEdits.bypass(g, act.id());
        }
    }
}
