package k210studio.converter.compile.prepare;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.tensor.Tensor;

/**
 * A BatchNormalization right after a linear convolution (its sole consumer) is folded into the convolution's kernel
 * and bias: y = γ·(conv(x) + b − μ)/√(σ² + ε) + β, as the TFLite converter does for nncase (kpu-arith.md §4.5).
 */
public final class FoldBatchNorm implements GraphPass {
    @Override
    public String name() {
        return "fold-batch-norm";
    }

    @Override
    public String purpose() {
        return "BatchNormalization after a linear conv → folded into that conv's kernel and bias";
    }

    @Override
    public void apply(Graph g) {
        for (Layer bnLayer : g.layers()) {
            if (!(bnLayer.params() instanceof BatchNormalization bn) || !g.contains(bnLayer.id())) {
                continue;
            }
            String convId = g.inputsOf(bnLayer.id()).get(0);
            Layer conv = g.layer(convId);
            if (!GraphEdits.feedsOnly(g, convId)) {
                continue;
            }
            int channels;
            if (conv.params() instanceof Conv2D c && c.activation().isLinear()) {
                channels = c.filters();
            } else if (conv.params() instanceof DepthwiseConv2D d && d.activation().isLinear()) {
                channels = conv.weight("depthwise_kernel").dim(2) * d.depthMultiplier();
            } else {
                continue;
            }
            float[] k = new float[channels];
            float[] shift = new float[channels];
            float[] gamma = vector(bnLayer, "gamma", channels, 1f);
            float[] beta = vector(bnLayer, "beta", channels, 0f);
            float[] mean = vector(bnLayer, "moving_mean", channels, 0f);
            float[] var = vector(bnLayer, "moving_variance", channels, 1f);
            for (int o = 0; o < channels; o++) {
                k[o] = (float) (gamma[o] / Math.sqrt(var[o] + bn.epsilon()));
                shift[o] = beta[o] - mean[o] * k[o];
            }
            String kernelKey = conv.params() instanceof Conv2D ? "kernel" : "depthwise_kernel";
            Tensor kernel = conv.weight(kernelKey);
            float[] w = kernel.data().clone();
            // HWIO (conv) or HW·C·M (depthwise): the output channel is the flattened last two dims for depthwise
            for (int i = 0; i < w.length; i++) {
                w[i] *= k[i % channels];
            }
            float[] bias = new float[channels];
            Tensor oldBias = conv.weight("bias");
            for (int o = 0; o < channels; o++) {
                float b = oldBias == null ? 0f : oldBias.get(o);
                bias[o] = b * k[o] + shift[o];
            }
            Map<String, Tensor> weights = new HashMap<>(conv.weights());
            weights.put(kernelKey, new Tensor(kernel.shape(), w));
            weights.put("bias", new Tensor(new int[] {channels}, bias));
            LayerParams p = conv.params() instanceof Conv2D c
                    ? new Conv2D(c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(), c.dilationH(),
                            c.dilationW(), true, c.activation())
                    : withBias((DepthwiseConv2D) conv.params());
            g.replaceLayer(conv.withParams(p).withWeights(weights));
            GraphEdits.bypass(g, bnLayer.id());
        }
    }

    private static DepthwiseConv2D withBias(DepthwiseConv2D d) {
        return new DepthwiseConv2D(d.kernelH(), d.kernelW(), d.strideH(), d.strideW(), d.padding(), d.depthMultiplier(),
                d.dilationH(), d.dilationW(), true, d.activation());
    }

    private static float[] vector(Layer l, String key, int n, float dflt) {
        Tensor t = l.weight(key);
        float[] v = new float[n];
        if (t == null) {
            Arrays.fill(v, dflt);
        } else {
            if (t.size() != n) {
                throw new IllegalArgumentException(l.name() + ": " + key + " has " + t.size() + " values, the conv has " + n + " channels");
            }
            System.arraycopy(t.data(), 0, v, 0, n);
        }
        return v;
    }
}
