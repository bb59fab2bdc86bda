package k210studio.converter.compile.prepare;

import java.util.HashMap;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.SeparableConv2D;
import k210studio.ir.tensor.Tensor;

/** A SeparableConv2D is a depthwise conv followed by a 1×1 conv: two KPU layers. */
public final class SplitSeparableConv implements GraphPass {
    @Override
    public String name() {
        return "split-separable-conv";
    }

    @Override
    public String purpose() {
        return "SeparableConv2D → DepthwiseConv2D + 1×1 Conv2D (two KPU layers)";
    }

    @Override
    public void apply(Graph g) {
        for (Layer l : g.layers()) {
            if (!(l.params() instanceof SeparableConv2D s)) {
                continue;
            }
            DepthwiseConv2D dw = new DepthwiseConv2D(s.kernelH(), s.kernelW(), s.strideH(), s.strideW(), s.padding(),
                    s.depthMultiplier(), 1, 1, false, ActivationFn.LINEAR);
            Conv2D pw = new Conv2D(s.filters(), 1, 1, 1, 1, Padding.VALID, 1, 1, s.useBias(), s.activation());
            String producer = g.inputsOf(l.id()).get(0);
            String dwId = g.newId();
            g.addLayer(new Layer(dwId, g.uniqueName(l.name() + "_depthwise"), dw,
                    Map.of("depthwise_kernel", l.weight("depthwise_kernel"))), g.orderIndex(l.id()));
            g.connect(producer, dwId);
            Map<String, Tensor> pwWeights = new HashMap<>();
            pwWeights.put("kernel", l.weight("pointwise_kernel"));
            if (s.useBias() && l.weight("bias") != null) {
                pwWeights.put("bias", l.weight("bias"));
            }
            g.replaceLayer(new Layer(l.id(), l.name(), pw, pwWeights, l.notes()));
            g.disconnect(l.id(), 0);
            g.connect(dwId, l.id(), 0);
        }
    }
}
