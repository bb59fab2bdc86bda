package k210studio.converter.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of every backward pass: for a small network around one layer kind, the gradient
 * the training engine computes (for the input and for every trainable weight) must match central differences
 * of L = Σ r·y over a batch of 3 (forward in training mode with a fixed seed, so BatchNormalization uses batch
 * statistics and Dropout keeps the same mask). Pins that trained weights move the float evaluator's function —
 * the same function the compiler and simulator run — downhill.
 */
class GradientCheckTest {
    private static final int BATCH = 3;

    record Case(String name, Function<Graph, String> body, TensorShape input) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case of(String name, TensorShape in, LayerParams p) {
        return new Case(name, g -> g.add("layer", p, g.inputIds().get(0)), in);
    }

    static Case of(String name, TensorShape in, LayerParams p, Map<String, Tensor> w) {
        return new Case(name, g -> g.add("layer", p, w, g.inputIds().get(0)), in);
    }

    static TensorShape img(int h, int w, int c) {
        return TensorShape.hwc(h, w, c);
    }

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        c.add(of("Conv2D 3x3 s2 same + bias + tanh", img(5, 6, 2),
                new Conv2D(3, 3, 3, 2, 2, Padding.SAME, 1, 1, true, ActivationFn.TANH)));
        c.add(of("Conv2D 2x3 s1 valid dilation 2, no bias", img(6, 7, 2),
                new Conv2D(2, 2, 3, 1, 1, Padding.VALID, 2, 2, false, ActivationFn.LINEAR)));
        c.add(of("Conv2D 1x1 (pointwise path) + relu6", img(4, 4, 3),
                new Conv2D(4, 1, 1, 1, 1, Padding.SAME, 1, 1, true, ActivationFn.RELU6)));
        c.add(of("DepthwiseConv2D 3x3 s2 same, multiplier 2 + swish", img(5, 5, 2),
                new DepthwiseConv2D(3, 3, 2, 2, Padding.SAME, 2, 1, 1, true, ActivationFn.of(ActivationFn.Kind.SWISH))));
        c.add(of("DepthwiseConv2D 3x3 valid dilation 2", img(7, 7, 3),
                new DepthwiseConv2D(3, 3, 1, 1, Padding.VALID, 1, 2, 2, false, ActivationFn.LINEAR)));
        c.add(of("SeparableConv2D 3x3 same + bias + sigmoid", img(4, 5, 2),
                new SeparableConv2D(3, 3, 3, 1, 1, Padding.SAME, 2, true, ActivationFn.SIGMOID)));
        c.add(of("Conv2DTranspose 3x3 s2 same", img(3, 3, 2),
                new Conv2DTranspose(2, 3, 3, 2, 2, Padding.SAME, true, ActivationFn.LINEAR)));
        c.add(of("Conv2DTranspose 3x2 s2 valid + hard_swish", img(3, 2, 2),
                new Conv2DTranspose(2, 3, 2, 2, 2, Padding.VALID, false, ActivationFn.of(ActivationFn.Kind.HARD_SWISH))));
        c.add(of("Dense on a vector + softmax", TensorShape.of(5), new Dense(4, true, ActivationFn.SOFTMAX)));
        c.add(of("Dense on the last axis of H×W×C + leaky_relu", img(2, 3, 3), new Dense(2, true, ActivationFn.leakyRelu(0.2f))));
        c.add(of("BatchNormalization (batch statistics)", img(3, 3, 2), BatchNormalization.keras()));
        c.add(of("BatchNormalization on a vector", TensorShape.of(4), BatchNormalization.keras()));
        for (ActivationFn.Kind k : ActivationFn.Kind.values()) {
            c.add(of("Activation " + k.keras(), img(2, 3, 4), new Activation(ActivationFn.of(k))));
        }
        c.add(of("ReLU(max 2, slope 0.1, threshold 0.3)", img(3, 3, 2), new ReLU(2f, 0.1f, 0.3f)));
        c.add(of("ReLU6", img(3, 3, 2), ReLU.relu6()));
        c.add(of("LeakyReLU(0.2)", img(3, 3, 2), new LeakyReLU(0.2f)));
        c.add(of("PReLU, alpha per channel", img(3, 3, 2), new PReLU(),
                Map.of("alpha", new Tensor(new int[] {1, 1, 2}, new float[] {0.25f, -0.4f}))));
        c.add(of("Softmax over the last axis", img(2, 2, 3), Softmax.lastAxis()));
        c.add(of("Softmax over axis 2 (width)", img(2, 3, 2), new Softmax(2)));
        c.add(of("MaxPooling2D 2 s2 valid", img(4, 5, 2), MaxPooling2D.of(2, 2, Padding.VALID)));
        c.add(of("MaxPooling2D 3 s2 same", img(5, 5, 2), MaxPooling2D.of(3, 2, Padding.SAME)));
        c.add(of("AveragePooling2D 3 s2 same (real inputs only)", img(5, 4, 2), AveragePooling2D.of(3, 2, Padding.SAME)));
        c.add(of("GlobalAveragePooling2D", img(3, 4, 3), new GlobalAveragePooling2D(false)));
        c.add(of("GlobalMaxPooling2D keepdims", img(3, 4, 3), new GlobalMaxPooling2D(true)));
        c.add(of("ZeroPadding2D (0,1,2,1)", img(3, 3, 2), new ZeroPadding2D(0, 1, 2, 1)));
        c.add(of("Flatten", img(2, 3, 2), new Flatten()));
        c.add(of("Reshape to 3×-1", img(2, 3, 2), Reshape.to(3, -1)));
        c.add(of("Dropout 0.5 (training mask)", img(3, 3, 2), new Dropout(0.5f)));
        c.add(of("UpSampling2D nearest", img(2, 3, 2), new UpSampling2D(2, 3, Interpolation.NEAREST)));
        c.add(of("UpSampling2D bilinear", img(2, 3, 2), new UpSampling2D(2, 2, Interpolation.BILINEAR)));
        c.add(of("Resizing bilinear, align corners", img(3, 4, 2), new Resizing(5, 3, Interpolation.BILINEAR, true, false)));
        c.add(of("Resizing bilinear, half pixel", img(3, 4, 2), new Resizing(4, 7, Interpolation.BILINEAR, false, true)));
        c.add(of("Resizing nearest", img(4, 4, 1), new Resizing(3, 6, Interpolation.NEAREST, false, false)));
        c.add(merge("Add with a per-channel broadcast", new Add(), true));
        c.add(merge("Subtract", new Subtract(), false));
        c.add(merge("Multiply with a per-channel broadcast", new Multiply(), true));
        c.add(merge("Concatenate channels", Concatenate.channels(), false));
        c.add(new Case("Concatenate width, three inputs", g -> {
            String in = g.inputIds().get(0);
            String a = g.add("a", new Conv2D(2, 1, 1, 1, 1, Padding.SAME, 1, 1, true, ActivationFn.LINEAR), in);
            return g.add("cat", new Concatenate(2), in, a, in);
        }, img(2, 3, 2)));
        c.add(new Case("Conv → BN → ReLU → Dense softmax chain", g -> {
            String x = g.add("conv", new Conv2D(3, 3, 3, 1, 1, Padding.SAME, 1, 1, false, ActivationFn.LINEAR), g.inputIds().get(0));
            x = g.add("bn", BatchNormalization.keras(), x);
            x = g.add("relu", ReLU.plain(), x);
            x = g.add("gap", new GlobalAveragePooling2D(false), x);
            return g.add("dense", new Dense(3, true, ActivationFn.SOFTMAX), x);
        }, img(4, 4, 2)));
        return c.stream().map(Arguments::of);
    }

    /** Input → (identity, and a 1×1 conv to 1 or 2 channels) → the merge. */
    static Case merge(String name, LayerParams p, boolean broadcast) {
        return new Case(name, g -> {
            String in = g.inputIds().get(0);
            String b = g.add("branch", new Conv2D(2, 1, 1, 1, 1, Padding.SAME, 1, 1, true, ActivationFn.TANH), in);
            if (broadcast) {
                b = g.add("pool", new GlobalAveragePooling2D(true), b);
            }
            return g.add("merge", p, in, b);
        }, img(3, 3, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardMatchesFiniteDifferences(Case c) throws Exception {
        Graph g = new Graph("gradcheck");
        g.add("input", new Input(c.input()));
        String out = c.body().apply(g);
        g.setOutputs(List.of(out));
        Random r = new Random(c.name().hashCode());
        Graph init = WeightInit.complete(g, 7);
        // non-trivial biases and BN parameters, so every term of the gradient matters
        for (var l : init.layers()) {
            Map<String, Tensor> w = new java.util.LinkedHashMap<>(l.weights());
            w.replaceAll((k, t) -> k.equals("moving_variance") ? t : jitter(t, r, k.equals("gamma") ? 0.3 : 0.2));
            init.replaceLayer(l.withWeights(w));
        }
        TrainableNetwork net = new TrainableNetwork(init, true, 3);
        net.wantAllGradients();
        int n = TrainLayer.size(net.inputShape());
        float[][] x = new float[BATCH][n];
        for (float[] s : x) {
            for (int i = 0; i < n; i++) {
                s[i] = (float) r.nextGaussian();
            }
        }
        int m = TrainLayer.size(net.outputShape());
        float[][] rr = new float[BATCH][m];
        for (float[] s : rr) {
            for (int i = 0; i < m; i++) {
                s[i] = (float) r.nextGaussian();
            }
        }
        net.forward(x, true, 11);
        net.backward(copy(rr));
        float[][] gx = net.inputGradient();
        List<double[]> pairs = new ArrayList<>();
        // input gradient, a sample of coordinates
        for (int k = 0; k < Math.min(24, n * BATCH); k++) {
            int s = k % BATCH;
            int i = r.nextInt(n);
            float keep = x[s][i];
            double num = central(net, x, rr, v -> x[s][i] = (float) (keep + v));
            x[s][i] = keep;
            pairs.add(new double[] {gx[s][i], num});
        }
        double inErr = relError(pairs);
        assertThat(inErr).as("input gradient of %s (relative error)", c.name()).isLessThan(2e-2);
        for (Param p : net.trainableParams()) {
            float[] analytic = p.grad.clone();
            List<double[]> pp = new ArrayList<>();
            for (int k = 0; k < Math.min(16, p.value.length); k++) {
                int i = p.value.length <= 16 ? k : r.nextInt(p.value.length);
                float keep = p.value[i];
                double num = central(net, x, rr, v -> p.value[i] = (float) (keep + v));
                p.value[i] = keep;
                pp.add(new double[] {analytic[i], num});
            }
            assertThat(relError(pp)).as("gradient of %s in %s", p.name(), c.name()).isLessThan(2e-2);
        }
    }

    private static Tensor jitter(Tensor t, Random r, double amount) {
        float[] v = t.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) (r.nextGaussian() * amount);
        }
        return new Tensor(t.shape(), v);
    }

    private static float[][] copy(float[][] a) {
        float[][] b = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
        }
        return b;
    }

    private static double central(TrainableNetwork net, float[][] x, float[][] rr, java.util.function.DoubleConsumer set) {
        double h = 2e-3;
        set.accept(h);
        double up = objective(net.forward(x, true, 11), rr);
        set.accept(-h);
        double down = objective(net.forward(x, true, 11), rr);
        return (up - down) / (2 * h);
    }

    private static double objective(float[][] y, float[][] rr) {
        double s = 0;
        for (int b = 0; b < y.length; b++) {
            for (int i = 0; i < y[b].length; i++) {
                s += (double) y[b][i] * rr[b][i];
            }
        }
        return s;
    }

    /** ‖a − n‖ / (‖a‖ + ‖n‖), 0 when both vanish. */
    private static double relError(List<double[]> pairs) {
        double d = 0;
        double a = 0;
        double b = 0;
        for (double[] p : pairs) {
            d += (p[0] - p[1]) * (p[0] - p[1]);
            a += p[0] * p[0];
            b += p[1] * p[1];
        }
        double den = Math.sqrt(a) + Math.sqrt(b);
        return den < 1e-9 ? 0 : Math.sqrt(d) / den;
    }
}
