package k210studio.converter.compile.prepare;

import java.util.HashMap;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.tensor.Tensor;

/**
 * A depthwise conv with depth multiplier m > 1 is a grouped conv; written as a full Conv2D whose kernel is zero
 * outside each group it computes exactly the same and runs on the KPU (output channel c·m + j reads input c).
 */
public final class ExpandDepthMultiplier implements GraphPass {
    @Override
    public String name() {
        return "expand-depth-multiplier";
    }

    @Override
    public String purpose() {
        return "DepthwiseConv2D with depth multiplier > 1 → an equivalent Conv2D with a block-diagonal kernel (the KPU does one kernel per channel)";
    }

    @Override
    public void apply(Graph g) {
        for (Layer l : g.layers()) {
            if (!(l.params() instanceof DepthwiseConv2D d) || d.depthMultiplier() == 1) {
                continue;
            }
            Tensor k = l.weight("depthwise_kernel");
            int kh = k.dim(0);
            int kw = k.dim(1);
            int c = k.dim(2);
            int m = k.dim(3);
            int out = c * m;
            float[] dense = new float[kh * kw * c * out];
            float[] src = k.data();
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    for (int i = 0; i < c; i++) {
                        for (int j = 0; j < m; j++) {
                            dense[((y * kw + x) * c + i) * out + i * m + j] = src[((y * kw + x) * c + i) * m + j];
                        }
                    }
                }
            }
            Map<String, Tensor> w = new HashMap<>();
            w.put("kernel", new Tensor(new int[] {kh, kw, c, out}, dense));
            if (l.weight("bias") != null) {
                w.put("bias", l.weight("bias"));
            }
            Conv2D conv = new Conv2D(out, d.kernelH(), d.kernelW(), d.strideH(), d.strideW(), d.padding(), d.dilationH(),
                    d.dilationW(), d.useBias(), d.activation());
            g.replaceLayer(l.withParams(conv).withWeights(w));
        }
    }
}
