package k210studio.ir.project;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/** A small graph that uses every layer kind of the catalog with non-default parameters, weights, notes and positions. */
final class EveryLayerGraph {
    private EveryLayerGraph() {
    }

    static Graph build(long seed) {
        Random r = new Random(seed);
        Graph g = new Graph("every_layer");
        String in = g.add("input_1", new Input(TensorShape.hwc(16, 12, 3)));
        String c = g.add("conv2d", new Conv2D(8, 3, 5, 2, 1, Padding.SAME, 1, 2, true, ActivationFn.leakyRelu(0.125f)),
                w(r, "kernel", 3, 5, 3, 8, "bias", 8), in);
        String dw = g.add("depthwise_conv2d", new DepthwiseConv2D(3, 3, 1, 1, Padding.VALID, 2, 1, 1, false, ActivationFn.RELU6),
                w(r, "depthwise_kernel", 3, 3, 8, 2), c);
        String sep = g.add("separable_conv2d", new SeparableConv2D(8, 3, 3, 1, 1, Padding.SAME, 1, true, ActivationFn.LINEAR),
                w3(r, "depthwise_kernel", new int[] {3, 3, 16, 1}, "pointwise_kernel", new int[] {1, 1, 16, 8}, "bias", new int[] {8}), dw);
        String tr = g.add("conv2d_transpose", new Conv2DTranspose(4, 2, 2, 2, 2, Padding.VALID, true, ActivationFn.of(ActivationFn.Kind.HARD_SWISH)),
                w(r, "kernel", 2, 2, 4, 8, "bias", 4), sep);
        String zp = g.add("zero_padding2d", new ZeroPadding2D(0, 1, 2, 3), tr);
        String bn = g.add("batch_normalization", new BatchNormalization(1.001e-3f),
                w3(r, "gamma", new int[] {4}, "beta", new int[] {4}, "moving_mean", new int[] {4}), zp);
        String act = g.add("activation", new Activation(ActivationFn.leakyRelu(0.2f)), bn);
        String relu = g.add("re_lu", ReLU.plain(), act);
        String relu6 = g.add("re_lu_1", new ReLU(6f, 0.1f, 0.5f), relu);
        String leaky = g.add("leaky_re_lu", new LeakyReLU(0.3f), relu6);
        String prelu = g.add("p_re_lu", new PReLU(), w(r, "alpha", 1, 1, 4), leaky);
        String mp = g.add("max_pooling2d", new MaxPooling2D(2, 3, 2, 1, Padding.SAME), prelu);
        String ap = g.add("average_pooling2d", AveragePooling2D.of(2, 2, Padding.VALID), mp);
        String up = g.add("up_sampling2d", new UpSampling2D(2, 3, Interpolation.BILINEAR), ap);
        String gap = g.add("global_average_pooling2d", new GlobalAveragePooling2D(true), up);
        String gmp = g.add("global_max_pooling2d", new GlobalMaxPooling2D(false), up);
        String fl = g.add("flatten", new Flatten(), gap);
        String cat = g.add("concatenate", new Concatenate(-1), gmp, fl);
        String add = g.add("add", new Add(), cat, cat);
        String sub = g.add("subtract", new Subtract(), add, cat);
        String mul = g.add("multiply", new Multiply(), sub, add, cat);
        String dense = g.add("dense", new Dense(6, true, ActivationFn.of(ActivationFn.Kind.SIGMOID)), w(r, "kernel", 8, 6, "bias", 6), mul);
        String resh = g.add("reshape", new Reshape(TensorShape.of(2, -1), true), dense);
        String drop = g.add("dropout", new Dropout(0.25f), resh);
        String sm = g.add("softmax", new Softmax(-1), drop);
        String extra = g.add("dense_1", new Dense(2, false, ActivationFn.TANH), w(r, "kernel", 8, 2), mul);
        g.setOutputs(java.util.List.of(sm, extra));
        int i = 0;
        for (String id : g.ids()) {
            g.setPosition(id, new Position(40 + (i % 3) * 0.5, 80.25 * i));
            i++;
        }
        g.replaceLayer(g.layer(c).withNotes(Map.of("imported", "CONV_2D #0", "quant", "scale=0.0039 zp=0")));
        return g;
    }

    static Map<String, Tensor> w(Random r, String k1, int a, int b, int c, int d, String k2, int n) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(k1, random(r, a, b, c, d));
        m.put(k2, random(r, n));
        return m;
    }

    static Map<String, Tensor> w(Random r, String k1, int a, int b, int c, int d) {
        return Map.of(k1, random(r, a, b, c, d));
    }

    static Map<String, Tensor> w(Random r, String k1, int a, int b, int c) {
        return Map.of(k1, random(r, a, b, c));
    }

    static Map<String, Tensor> w(Random r, String k1, int a, int b, String k2, int n) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(k1, random(r, a, b));
        m.put(k2, random(r, n));
        return m;
    }

    static Map<String, Tensor> w(Random r, String k1, int a, int b) {
        return Map.of(k1, random(r, a, b));
    }

    static Map<String, Tensor> w3(Random r, String k1, int[] s1, String k2, int[] s2, String k3, int[] s3) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(k1, random(r, s1));
        m.put(k2, random(r, s2));
        m.put(k3, random(r, s3));
        return m;
    }

    static Tensor random(Random r, int... shape) {
        return Tensor.gaussian(r, 1, shape);
    }
}
