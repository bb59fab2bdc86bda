package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.compile.prepare.ExpandDepthMultiplier;
import k210studio.converter.compile.prepare.FoldBatchNorm;
import k210studio.converter.compile.prepare.FuseActivation;
import k210studio.converter.compile.prepare.GraphPass;
import k210studio.converter.compile.prepare.PixelConvToDense;
import k210studio.converter.compile.prepare.PushActivationIntoConcat;
import k210studio.converter.compile.prepare.RemoveRedundantActivation;
import k210studio.converter.compile.prepare.RemoveDropout;
import k210studio.converter.compile.prepare.SplitSeparableConv;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.LayerParams;

/**
 * Inference-time simplifications every K210 flow applies before quantization (what the TFLite converter does
 * for nncase, kpu-arith.md §4.5), as the sequence of {@link GraphPass}es in {@link #PASSES}; and the graph
 * calibration measures ({@link #forCalibration}). The input graph is not changed.
 */
public final class GraphPreparer {
    private GraphPreparer() {
    }

    /**
     * The graph calibration runs on: the prepared graph with every fused non-linear activation split back out of
     * its convolution into an {@code Activation} layer, so that both the range before and after the activation are
     * measured. Layer ids are those of {@link #prepare}; {@code activationOf} maps a conv id to its split-out layer.
     */
    public record CalibrationGraph(Graph graph, Map<String, String> activationOf) {
    }

    public static CalibrationGraph forCalibration(Graph prepared) {
        Graph g = prepared.copy();
        Map<String, String> actOf = new HashMap<>();
        for (Layer l : g.layers()) {
            ActivationFn fn = null;
            LayerParams linear = null;
            if (l.params() instanceof Conv2D c && !c.activation().isLinear()) {
                fn = c.activation();
                linear = c.withActivation(ActivationFn.LINEAR);
            } else if (l.params() instanceof DepthwiseConv2D d && !d.activation().isLinear()) {
                fn = d.activation();
                linear = d.withActivation(ActivationFn.LINEAR);
            } else if (l.params() instanceof k210studio.ir.layer.Dense d && !d.activation().isLinear()
                    && d.activation().isElementwise()) {
                fn = d.activation();
                linear = new k210studio.ir.layer.Dense(d.units(), d.useBias(), ActivationFn.LINEAR);
            }
            if (fn == null) {
                continue;
            }
            List<String> consumers = g.consumersOf(l.id());
            Map<String, Integer> ports = new HashMap<>();
            for (String c : consumers) {
                ports.put(c, g.portOf(l.id(), c));
            }
            boolean wasOutput = g.explicitOutputs().contains(l.id());
            g.replaceLayer(l.withParams(linear));
            String actId = g.newId();
            g.addLayer(new Layer(actId, g.uniqueName(l.name() + "_act"), new Activation(fn)), g.orderIndex(l.id()) + 1);
            for (String c : consumers) {
                g.disconnect(c, ports.get(c));
                g.connect(actId, c, ports.get(c));
            }
            g.connect(l.id(), actId);
            if (wasOutput) {
                List<String> outs = new ArrayList<>(g.explicitOutputs());
                outs.replaceAll(o -> o.equals(l.id()) ? actId : o);
                g.setOutputs(outs);
            }
            actOf.put(l.id(), actId);
        }
        return new CalibrationGraph(g, actOf);
    }

    /** The preparation passes, in the order they run. */
    public static final List<GraphPass> PASSES = List.of(
            new RemoveDropout(),
            new SplitSeparableConv(),
            new ExpandDepthMultiplier(),
            new FoldBatchNorm(),
            new PixelConvToDense(),
            new PushActivationIntoConcat(),
            new FuseActivation(),
            new RemoveRedundantActivation());

    public static Graph prepare(Graph source) {
        Graph g = source.copy();
        for (GraphPass pass : PASSES) {
            pass.apply(g);
        }
        return g;
    }
}
