package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.SeparableConv2D;
import k210studio.ir.tensor.Tensor;

/**
 * Inference-time simplifications every K210 flow applies before quantization (what the TFLite converter does
 * for nncase, kpu-arith.md §4.5): Dropout removed, SeparableConv2D split into depthwise + 1×1, BatchNormalization
 * folded into the convolution it follows, an element-wise activation after a Concatenate of linear convolutions
 * moved onto each of them, and an element-wise activation layer that is a convolution's sole consumer fused into that
 * convolution's {@code activation}. The input graph is not changed.
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

    public static Graph prepare(Graph source) {
        Graph g = source.copy();
        removeDropout(g);
        splitSeparable(g);
        expandDepthMultiplier(g);
        foldBatchNorm(g);
        pixelConvToDense(g);
        pushActivationsIntoConcat(g);
        fuseActivations(g);
        return g;
    }

    private static void removeDropout(Graph g) {
        for (Layer l : g.layers()) {
            if (l.params() instanceof Dropout) {
                bypass(g, l.id());
            }
        }
    }

    /** Removes a single-input layer, connecting its producer to each of its consumers on the same ports. */
    static void bypass(Graph g, String id) {
        String producer = g.inputsOf(id).get(0);
        List<String> outs = new ArrayList<>(g.explicitOutputs());
        Map<String, Integer> ports = new HashMap<>();
        for (String c : g.consumersOf(id)) {
            ports.put(c, g.portOf(id, c));
        }
        g.removeLayer(id);
        ports.forEach((c, port) -> g.connect(producer, c, port));
        if (outs.contains(id)) {
            outs.replaceAll(o -> o.equals(id) ? producer : o);
            g.setOutputs(outs);
        }
    }

    private static void splitSeparable(Graph g) {
        for (Layer l : g.layers()) {
            if (!(l.params() instanceof SeparableConv2D s)) {
                continue;
            }
            DepthwiseConv2D dw = new DepthwiseConv2D(s.kernelH(), s.kernelW(), s.strideH(), s.strideW(), s.padding(),
                    s.depthMultiplier(), 1, 1, false, ActivationFn.LINEAR);
            Conv2D pw = new Conv2D(s.filters(), 1, 1, 1, 1, k210studio.ir.layer.Padding.VALID, 1, 1, s.useBias(), s.activation());
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

    /**
     * A depthwise conv with depth multiplier m > 1 is a grouped conv; written as a full Conv2D whose kernel is zero
     * outside each group it computes exactly the same and runs on the KPU (output channel c·m + j reads input c).
     */
    private static void expandDepthMultiplier(Graph g) {
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

    /**
     * A 1×1 convolution on a 1×1 map (Keras MobileNet's classifier head) is a Dense layer; as such it can use the
     * KPU's 4×4 matmul trick, which a conv with a 1×1 output cannot (the KPU needs maps of at least 4×4).
     */
    private static void pixelConvToDense(Graph g) {
        k210studio.ir.shape.ShapeResult shapes = k210studio.ir.shape.ShapeInference.infer(g);
        for (Layer l : g.layers()) {
            if (!(l.params() instanceof Conv2D c) || c.kernelH() != 1 || c.kernelW() != 1 || c.strideH() != 1
                    || c.strideW() != 1) {
                continue;
            }
            k210studio.ir.tensor.TensorShape x = shapes.shape(g.inputsOf(l.id()).get(0));
            if (x == null || !x.isImage() || x.h() != 1 || x.w() != 1) {
                continue;
            }
            Tensor k = l.weight("kernel");
            Map<String, Tensor> w = new HashMap<>(l.weights());
            w.put("kernel", k.reshape(k.dim(2), k.dim(3)));
            g.replaceLayer(l.withParams(new k210studio.ir.layer.Dense(c.filters(), c.useBias(), c.activation())).withWeights(w));
        }
    }

    private static void foldBatchNorm(Graph g) {
        for (Layer bnLayer : g.layers()) {
            if (!(bnLayer.params() instanceof BatchNormalization bn) || !g.contains(bnLayer.id())) {
                continue;
            }
            String convId = g.inputsOf(bnLayer.id()).get(0);
            Layer conv = g.layer(convId);
            if (g.consumersOf(convId).size() != 1 || g.explicitOutputs().contains(convId)) {
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
            bypass(g, bnLayer.id());
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
            java.util.Arrays.fill(v, dflt);
        } else {
            if (t.size() != n) {
                throw new IllegalArgumentException(l.name() + ": " + key + " has " + t.size() + " values, the conv has " + n + " channels");
            }
            System.arraycopy(t.data(), 0, v, 0, n);
        }
        return v;
    }

    /**
     * An element-wise activation right after a Concatenate whose inputs are all linear convolutions feeding only that
     * concatenation moves onto each convolution: act(concat(a, b)) = concat(act(a), act(b)) exactly, and the KPU then
     * applies it in each conv's activation table (as in the ULFFD face detector's SSH-style context modules).
     */
    private static void pushActivationsIntoConcat(Graph g) {
        for (Layer act : g.layers()) {
            if (!g.contains(act.id())) {
                continue;
            }
            ActivationFn fn = elementwise(act.params());
            if (fn == null || g.inputsOf(act.id()).size() != 1) {
                continue;
            }
            String concatId = g.inputsOf(act.id()).get(0);
            if (!(g.layer(concatId).params() instanceof k210studio.ir.layer.Concatenate)
                    || g.consumersOf(concatId).size() != 1 || g.explicitOutputs().contains(concatId)) {
                continue;
            }
            List<String> ins = g.inputsOf(concatId);
            boolean allLinearConvs = new java.util.HashSet<>(ins).size() == ins.size();
            for (String in : ins) {
                LayerParams p = g.layer(in).params();
                boolean linearConv = p instanceof Conv2D c && c.activation().isLinear()
                        || p instanceof DepthwiseConv2D d && d.activation().isLinear();
                allLinearConvs &= linearConv && g.consumersOf(in).size() == 1 && !g.explicitOutputs().contains(in);
            }
            if (!allLinearConvs) {
                continue;
            }
            for (String in : ins) {
                Layer conv = g.layer(in);
                LayerParams fused = conv.params() instanceof Conv2D c ? c.withActivation(fn)
                        : ((DepthwiseConv2D) conv.params()).withActivation(fn);
                g.replaceLayer(conv.withParams(fused));
            }
            bypass(g, act.id());
        }
    }

    private static void fuseActivations(Graph g) {
        for (Layer act : g.layers()) {
            if (!g.contains(act.id())) {
                continue;
            }
            ActivationFn fn = elementwise(act.params());
            if (fn == null || g.inputsOf(act.id()).size() != 1) {
                continue;
            }
            String convId = g.inputsOf(act.id()).get(0);
            Layer conv = g.layer(convId);
            if (g.consumersOf(convId).size() != 1 || g.explicitOutputs().contains(convId)) {
                continue;
            }
            LayerParams fused = null;
            if (conv.params() instanceof Conv2D c && c.activation().isLinear()) {
                fused = c.withActivation(fn);
            } else if (conv.params() instanceof DepthwiseConv2D d && d.activation().isLinear()) {
                fused = d.withActivation(fn);
            }
            if (fused != null) {
                g.replaceLayer(conv.withParams(fused));
                bypass(g, act.id());
            }
        }
    }

    /** The element-wise function of an activation layer, or null if it is not one (softmax, PReLU, thresholds). */
    static ActivationFn elementwise(LayerParams p) {
        if (p instanceof Activation a && a.fn().isElementwise() && !a.fn().isLinear()) {
            return a.fn();
        }
        if (p instanceof LeakyReLU lr) {
            return ActivationFn.leakyRelu(lr.alpha());
        }
        if (p instanceof ReLU r && r.threshold() == 0f) {
            if (r.negativeSlope() == 0f && r.maxValue() == null) {
                return ActivationFn.RELU;
            }
            if (r.negativeSlope() == 0f && r.maxValue() == 6f) {
                return ActivationFn.RELU6;
            }
            if (r.maxValue() == null) {
                return ActivationFn.leakyRelu(r.negativeSlope());
            }
        }
        return null;
    }
}
