package k210studio.converter.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.*;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Fills in the weights a layer lacks, with Keras' default initialisers: kernels Glorot-uniform
 * (limit √(6 / (fan_in + fan_out)), fans counted over the receptive field), biases and BatchNormalization beta and
 * moving mean 0, gamma and moving variance 1, PReLU alpha 0. Weights that are present are kept as they are.
 */
public final class WeightInit {
    private WeightInit() {
    }

    /** A copy of the graph in which every layer has all its weights (seeded: the same seed gives the same weights). */
    public static Graph complete(Graph graph, long seed) {
        Graph g = graph.copy();
        Map<String, TensorShape> shapes = ShapeInference.infer(g).shapes();
        Random r = new Random(seed);
        for (String id : g.topologicalOrder()) {
            Layer l = g.layer(id);
            List<String> ins = g.inputsOf(id);
            TensorShape in = ins.isEmpty() ? null : shapes.get(ins.get(0));
            if (in == null) {
                continue;
            }
            Map<String, Tensor> w = new LinkedHashMap<>(l.weights());
            int c = in.c();
            LayerParams p = l.params();
            if (p instanceof Conv2D cv) {
                kernel(w, "kernel", r, cv.kernelH() * cv.kernelW() * c, cv.kernelH() * cv.kernelW() * cv.filters(),
                        cv.kernelH(), cv.kernelW(), c, cv.filters());
                bias(w, cv.useBias(), cv.filters());
            } else if (p instanceof DepthwiseConv2D d) {
                kernel(w, "depthwise_kernel", r, d.kernelH() * d.kernelW() * c, d.kernelH() * d.kernelW() * d.depthMultiplier(),
                        d.kernelH(), d.kernelW(), c, d.depthMultiplier());
                bias(w, d.useBias(), c * d.depthMultiplier());
            } else if (p instanceof SeparableConv2D s) {
                int m = s.depthMultiplier();
                kernel(w, "depthwise_kernel", r, s.kernelH() * s.kernelW() * c, s.kernelH() * s.kernelW() * m, s.kernelH(), s.kernelW(), c, m);
                kernel(w, "pointwise_kernel", r, c * m, s.filters(), 1, 1, c * m, s.filters());
                bias(w, s.useBias(), s.filters());
            } else if (p instanceof Conv2DTranspose t) {
                kernel(w, "kernel", r, t.kernelH() * t.kernelW() * t.filters(), t.kernelH() * t.kernelW() * c,
                        t.kernelH(), t.kernelW(), t.filters(), c);
                bias(w, t.useBias(), t.filters());
            } else if (p instanceof Dense d) {
                kernel(w, "kernel", r, c, d.units(), c, d.units());
                bias(w, d.useBias(), d.units());
            } else if (p instanceof BatchNormalization) {
                fill(w, "gamma", 1f, c);
                fill(w, "beta", 0f, c);
                fill(w, "moving_mean", 0f, c);
                fill(w, "moving_variance", 1f, c);
            } else if (p instanceof PReLU && !w.containsKey("alpha")) {
                w.put("alpha", Tensor.zeros(in.dims()));
            }
            if (!w.equals(l.weights())) {
                g.replaceLayer(l.withWeights(w));
            }
        }
        return g;
    }

    private static void kernel(Map<String, Tensor> w, String key, Random r, int fanIn, int fanOut, int... shape) {
        if (w.containsKey(key)) {
            return;
        }
        w.put(key, glorot(r, fanIn, fanOut, shape));
    }

    /** Glorot-uniform values of the given shape. */
    static Tensor glorot(Random r, int fanIn, int fanOut, int... shape) {
        double limit = Math.sqrt(6.0 / Math.max(1, fanIn + fanOut));
        Tensor t = Tensor.zeros(shape);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * limit);
        }
        return t;
    }

    private static void bias(Map<String, Tensor> w, boolean useBias, int n) {
        if (useBias) {
            fill(w, "bias", 0f, n);
        }
    }

    private static void fill(Map<String, Tensor> w, String key, float v, int n) {
        if (!w.containsKey(key)) {
            float[] a = new float[n];
            java.util.Arrays.fill(a, v);
            w.put(key, new Tensor(new int[] {n}, a));
        }
    }
}
