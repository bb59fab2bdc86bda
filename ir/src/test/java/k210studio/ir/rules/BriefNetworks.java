package k210studio.ir.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * The brief's two-class network and its "needs fixing" variant, built with the Graph API for the
 * rule tests (the project's canonical builders live in {@code k210studio.ir.samples.SampleNetworks};
 * these are built inline so the rule tests do not depend on another helper's work in progress).
 * Weights are seeded He-normal kernels and near-identity BatchNorm, as Keras initialises them.
 */
final class BriefNetworks {
    private BriefNetworks() {
    }

    /** Input 240×320×3 → six stages of 3×3 convs (stride-2 ones as ZeroPadding2D((1,1),(1,1)) + 'valid') → Flatten → Dropout → Dense(2) → softmax. */
    static Graph brief() {
        return build(false);
    }

    /** The same with TF 'same' stride-2 convs, one 5×5 conv and one PReLU. */
    static Graph needsFixing() {
        return build(true);
    }

    private static Graph build(boolean needsFixing) {
        Chain b = new Chain(needsFixing ? "brief_needs_fixing" : "brief", 7);
        b.add("input_1", new Input(TensorShape.hwc(240, 320, 3)), Map.of());
        int[][] stages = {{32, 2}, {32, 2}, {32, 1}, {32, 1}, {32, 2}, {64, 1}};
        for (int s = 0; s < stages.length; s++) {
            int f = stages[s][0];
            int stride = stages[s][1];
            if (needsFixing && stride == 2) {
                b.convBnAct(f, 3, 2, Padding.SAME, false);
            } else {
                b.add("zero_padding2d", ZeroPadding2D.symmetric(1), Map.of());
                b.convBnAct(f, 3, stride, Padding.VALID, false);
            }
            if (s == 0) {
                continue;
            }
            for (int k = 0; k < 2; k++) {
                b.convBnAct(f, needsFixing && s == 2 && k == 0 ? 5 : 3, 1, Padding.SAME, needsFixing && s == 3 && k == 1);
            }
        }
        b.add("flatten", new Flatten(), Map.of());
        b.add("dropout", new Dropout(0.5f), Map.of());
        int in = b.shape.c();
        b.add("dense", new Dense(2, true, ActivationFn.LINEAR), Map.of("kernel", b.he(in, in, 2), "bias", Tensor.zeros(2)));
        b.add("activation", new Activation(ActivationFn.SOFTMAX), Map.of());
        return b.g;
    }

    /** Appends layers to a chain, tracking the shape so weights get the right sizes. */
    static final class Chain {
        final Graph g;
        final Random r;
        String last;
        TensorShape shape;

        Chain(String name, long seed) {
            g = new Graph(name);
            r = new Random(seed);
        }

        String add(String name, LayerParams p, Map<String, Tensor> w) {
            last = last == null ? g.add(name, p, w) : g.add(name, p, w, last);
            shape = ShapeInference.outputShape(p, shape == null ? java.util.List.of() : java.util.List.of(shape));
            return last;
        }

        void convBnAct(int filters, int k, int stride, Padding pad, boolean prelu) {
            int cin = shape.c();
            Map<String, Tensor> w = new LinkedHashMap<>();
            w.put("kernel", he(k * k * cin, k, k, cin, filters));
            w.put("bias", Tensor.zeros(filters));
            add("conv2d", Conv2D.of(filters, k, stride, pad), w);
            Map<String, Tensor> bn = new LinkedHashMap<>();
            bn.put("gamma", fill(filters, 1f));
            bn.put("beta", fill(filters, 0f));
            bn.put("moving_mean", fill(filters, 0f));
            bn.put("moving_variance", fill(filters, 1f));
            add("batch_normalization", BatchNormalization.keras(), bn);
            if (prelu) {
                float[] a = new float[filters];
                for (int i = 0; i < filters; i++) {
                    a[i] = 0.2f + 0.01f * i;
                }
                add("p_re_lu", new PReLU(), Map.of("alpha", new Tensor(new int[] {1, 1, filters}, a)));
            } else {
                add("re_lu", ReLU.plain(), Map.of());
            }
        }

        Tensor he(int fanIn, int... dims) {
            return Tensor.gaussian(r, Math.sqrt(2.0 / fanIn), dims);
        }

        static Tensor fill(int n, float x) {
            float[] v = new float[n];
            java.util.Arrays.fill(v, x);
            return new Tensor(new int[] {n}, v);
        }
    }
}
