package k210studio.converter.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/**
 * Layer kernels of the float evaluator against independent naive formulations (explicitly padded
 * input, scatter-form transposed convolution) and hand-computed values, so layout or padding
 * mistakes show up.
 */
class FloatEvaluatorTest {

    private static final Random RND = new Random(7);

    private static float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = RND.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static Tensor run(Graph g, Tensor x) {
        return FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), false).output();
    }

    /** Explicitly zero-pads an HWC array. */
    private static float[] pad(float[] x, int h, int w, int c, int t, int b, int l, int r) {
        int ow = w + l + r;
        float[] o = new float[(h + t + b) * ow * c];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                for (int ch = 0; ch < c; ch++) {
                    o[((y + t) * ow + xx + l) * c + ch] = x[(y * w + xx) * c + ch];
                }
            }
        }
        return o;
    }

    @Test
    void conv2dSameStride2PutsTheOddPaddingPixelAfter() {
        int h = 5, w = 6, c = 3, f = 4, k = 3;
        float[] x = random(h * w * c);
        float[] kern = random(k * k * c * f);
        float[] bias = random(f);
        Graph g = new Graph();
        String in = g.add("in", new Input(TensorShape.hwc(h, w, c)));
        g.add("conv", new Conv2D(f, k, k, 2, 2, Padding.SAME, 1, 1, true, ActivationFn.LINEAR),
                Map.of("kernel", new Tensor(new int[] {k, k, c, f}, kern), "bias", new Tensor(new int[] {f}, bias)), in);
        Tensor y = run(g, new Tensor(new int[] {h, w, c}, x));
        // TF: out 3×3; height total pad = (3-1)*2+3-5 = 2 → 1/1; width total = (3-1)*2+3-6 = 1 → 0 before, 1 after
        assertThat(y.shape()).containsExactly(3, 3, f);
        float[] p = pad(x, h, w, c, 1, 1, 0, 1);
        int pw = w + 1;
        for (int oy = 0; oy < 3; oy++) {
            for (int ox = 0; ox < 3; ox++) {
                for (int o = 0; o < f; o++) {
                    double s = bias[o];
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            for (int i = 0; i < c; i++) {
                                s += p[((oy * 2 + ky) * pw + ox * 2 + kx) * c + i] * kern[((ky * k + kx) * c + i) * f + o];
                            }
                        }
                    }
                    assertThat(y.data()[(oy * 3 + ox) * f + o]).isCloseTo((float) s, within(1e-5f));
                }
            }
        }
    }

    @Test
    void pointwiseConvIsAMatrixProductAlsoForPixelCountsNotDivisibleByFour() {
        int h = 5, w = 3, c = 6, f = 7;
        float[] x = random(h * w * c);
        float[] kern = random(c * f);
        float[] bias = random(f);
        Graph g = new Graph();
        String in = g.add("in", new Input(TensorShape.hwc(h, w, c)));
        g.add("pw", new Conv2D(f, 1, 1, 1, 1, Padding.SAME, 1, 1, true, ActivationFn.LINEAR),
                Map.of("kernel", new Tensor(new int[] {1, 1, c, f}, kern), "bias", new Tensor(new int[] {f}, bias)), in);
        Tensor y = run(g, new Tensor(new int[] {h, w, c}, x));
        for (int p = 0; p < h * w; p++) {
            for (int o = 0; o < f; o++) {
                double s = bias[o];
                for (int i = 0; i < c; i++) {
                    s += x[p * c + i] * kern[i * f + o];
                }
                assertThat(y.data()[p * f + o]).isCloseTo((float) s, within(1e-5f));
            }
        }
    }

    @Test
    void depthwiseWithMultiplierMapsChannelCTimesMPlusJ() {
        int h = 4, w = 4, c = 2, m = 3, k = 3;
        float[] x = random(h * w * c);
        float[] kern = random(k * k * c * m);
        Graph g = new Graph();
        String in = g.add("in", new Input(TensorShape.hwc(h, w, c)));
        g.add("dw", new DepthwiseConv2D(k, k, 1, 1, Padding.VALID, m, 1, 1, false, ActivationFn.RELU),
                Map.of("depthwise_kernel", new Tensor(new int[] {k, k, c, m}, kern)), in);
        Tensor y = run(g, new Tensor(new int[] {h, w, c}, x));
        assertThat(y.shape()).containsExactly(2, 2, c * m);
        for (int oy = 0; oy < 2; oy++) {
            for (int ox = 0; ox < 2; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int j = 0; j < m; j++) {
                        double s = 0;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                s += x[((oy + ky) * w + ox + kx) * c + ch] * kern[((ky * k + kx) * c + ch) * m + j];
                            }
                        }
                        assertThat(y.data()[(oy * 2 + ox) * c * m + ch * m + j]).isCloseTo((float) Math.max(s, 0), within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void transposedConvMatchesTheScatterDefinition() {
        for (Padding pad : Padding.values()) {
            int h = 3, w = 2, c = 2, f = 3, k = 3, s = 2;
            float[] x = random(h * w * c);
            float[] kern = random(k * k * f * c);
            Graph g = new Graph();
            String in = g.add("in", new Input(TensorShape.hwc(h, w, c)));
            g.add("tc", new Conv2DTranspose(f, k, k, s, s, pad, false, ActivationFn.LINEAR),
                    Map.of("kernel", new Tensor(new int[] {k, k, f, c}, kern)), in);
            Tensor y = run(g, new Tensor(new int[] {h, w, c}, x));
            // full (VALID) scatter output is (h-1)*s+k; SAME crops it to h*s starting at total/2
            int fh = (h - 1) * s + k;
            int fw = (w - 1) * s + k;
            float[] full = new float[fh * fw * f];
            for (int iy = 0; iy < h; iy++) {
                for (int ix = 0; ix < w; ix++) {
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            for (int o = 0; o < f; o++) {
                                for (int i = 0; i < c; i++) {
                                    full[((iy * s + ky) * fw + ix * s + kx) * f + o] += x[(iy * w + ix) * c + i]
                                            * kern[((ky * k + kx) * f + o) * c + i];
                                }
                            }
                        }
                    }
                }
            }
            int oh = pad == Padding.SAME ? h * s : fh;
            int ow = pad == Padding.SAME ? w * s : fw;
            int top = (fh - oh) / 2;
            int left = (fw - ow) / 2;
            assertThat(y.shape()).containsExactly(oh, ow, f);
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int o = 0; o < f; o++) {
                        assertThat(y.data()[(oy * ow + ox) * f + o]).as(pad + " at " + oy + "," + ox)
                                .isCloseTo(full[((oy + top) * fw + ox + left) * f + o], within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void separableConvEqualsDepthwiseThenPointwise() {
        int h = 5, w = 5, c = 2, m = 2, f = 3;
        float[] x = random(h * w * c);
        Tensor dk = new Tensor(new int[] {3, 3, c, m}, random(9 * c * m));
        Tensor pk = new Tensor(new int[] {1, 1, c * m, f}, random(c * m * f));
        Tensor b = new Tensor(new int[] {f}, random(f));
        Graph sep = new Graph();
        String in = sep.add("in", new Input(TensorShape.hwc(h, w, c)));
        sep.add("sep", new SeparableConv2D(f, 3, 3, 2, 2, Padding.SAME, m, true, ActivationFn.RELU6),
                Map.of("depthwise_kernel", dk, "pointwise_kernel", pk, "bias", b), in);
        Graph two = new Graph();
        String in2 = two.add("in", new Input(TensorShape.hwc(h, w, c)));
        String d = two.add("dw", new DepthwiseConv2D(3, 3, 2, 2, Padding.SAME, m, 1, 1, false, ActivationFn.LINEAR),
                Map.of("depthwise_kernel", dk), in2);
        two.add("pw", new Conv2D(f, 1, 1, 1, 1, Padding.VALID, 1, 1, true, ActivationFn.RELU6), Map.of("kernel", pk, "bias", b), d);
        Tensor a = run(sep, new Tensor(new int[] {h, w, c}, x));
        Tensor e = run(two, new Tensor(new int[] {h, w, c}, x));
        assertThat(a.shape()).containsExactly(e.shape());
        assertThat(a.data()).containsExactly(e.data(), within(1e-5f));
    }

    @Test
    void averagePoolSameCountsOnlyRealInputsAndMaxPoolIgnoresPadding() {
        Graph g = new Graph();
        String in = g.add("in", new Input(TensorShape.hwc(3, 3, 1)));
        g.add("avg", AveragePooling2D.of(2, 2, Padding.SAME), in);
        Tensor ones = new Tensor(new int[] {3, 3, 1}, new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1});
        assertThat(run(g, ones).data()).containsExactly(1, 1, 1, 1);
        Graph mg = new Graph();
        String in2 = mg.add("in", new Input(TensorShape.hwc(3, 3, 1)));
        mg.add("max", MaxPooling2D.of(2, 2, Padding.SAME), in2);
        Tensor neg = new Tensor(new int[] {3, 3, 1}, new float[] {-1, -2, -3, -4, -5, -6, -7, -8, -9});
        assertThat(run(mg, neg).data()).containsExactly(-1, -3, -7, -9);
    }

    @Test
    void resizeFollowsTfRules() {
        float[] x = {0, 10, 20, 30}; // 2×2×1
        // bilinear half-pixel (Keras UpSampling2D bilinear / tf.image.resize): row 0 = 0, 2.5, 7.5, 10
        Graph up = new Graph();
        String in = up.add("in", new Input(TensorShape.hwc(2, 2, 1)));
        up.add("up", new UpSampling2D(2, 2, Interpolation.BILINEAR), in);
        float[] y = run(up, new Tensor(new int[] {2, 2, 1}, x)).data();
        assertThat(java.util.Arrays.copyOfRange(y, 0, 4)).containsExactly(new float[] {0, 2.5f, 7.5f, 10}, within(1e-6f));
        assertThat(java.util.Arrays.copyOfRange(y, 4, 8)).containsExactly(new float[] {5, 7.5f, 12.5f, 15}, within(1e-6f));
        // align_corners 2 → 3: the corners map exactly, the middle is the average
        Graph ac = new Graph();
        String in2 = ac.add("in", new Input(TensorShape.hwc(2, 2, 1)));
        ac.add("rs", new Resizing(3, 3, Interpolation.BILINEAR, true, false), in2);
        assertThat(run(ac, new Tensor(new int[] {2, 2, 1}, x)).data())
                .containsExactly(new float[] {0, 5, 10, 10, 15, 20, 20, 25, 30}, within(1e-6f));
        // legacy (neither flag) 2 → 3: source = d·2/3
        Graph lg = new Graph();
        String in3 = lg.add("in", new Input(TensorShape.hwc(2, 2, 1)));
        lg.add("rs", new Resizing(1, 3, Interpolation.BILINEAR, false, false), in3);
        assertThat(run(lg, new Tensor(new int[] {2, 2, 1}, x)).data())
                .containsExactly(new float[] {0, 10 * 2f / 3, 10}, within(1e-5f));
        // nearest ×2 repeats pixels
        Graph nn = new Graph();
        String in4 = nn.add("in", new Input(TensorShape.hwc(2, 2, 1)));
        nn.add("up", new UpSampling2D(2, 1, Interpolation.NEAREST), in4);
        assertThat(run(nn, new Tensor(new int[] {2, 2, 1}, x)).data()).containsExactly(0, 10, 0, 10, 20, 30, 20, 30);
    }

    @Test
    void elementwiseLayersComputeTheirKerasFormulas() {
        float[] x = {-4, -1, 0, 2, 7, 1};
        Tensor t = new Tensor(new int[] {1, 2, 3}, x);
        assertThat(single(new ReLU(6f, 0.5f, 1f), t)).containsExactly(-2.5f, -1f, -0.5f, 2, 6, 1);
        assertThat(single(new LeakyReLU(0.1f), t)).containsExactly(new float[] {-0.4f, -0.1f, 0, 2, 7, 1}, within(1e-6f));
        assertThat(single(new Activation(ActivationFn.of(ActivationFn.Kind.HARD_SWISH)), t))
                .containsExactly(new float[] {0, -1f / 3, 0, 2 * 5 / 6f, 7, 1 * 4 / 6f}, within(1e-6f));
        assertThat(single(new Activation(ActivationFn.SIGMOID), t)[2]).isEqualTo(0.5f);
        float[] sm = single(Softmax.lastAxis(), t);
        assertThat(sm[0] + sm[1] + sm[2]).isCloseTo(1f, within(1e-6f));
        assertThat(sm[3] + sm[4] + sm[5]).isCloseTo(1f, within(1e-6f));
        // softmax over axis 2 (width): pairs (x[i], x[i+3])
        float[] sw = single(new Softmax(2), t);
        assertThat(sw[0] + sw[3]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void batchNormAndDenseAndPreluUseTheirWeights() {
        Tensor t = new Tensor(new int[] {2}, new float[] {1, -2});
        Graph g = new Graph();
        String in = g.add("in", new Input(TensorShape.of(2)));
        String bn = g.add("bn", new BatchNormalization(0f), Map.of("gamma", Tensor.of(new int[] {2}, 2, 3),
                "beta", Tensor.of(new int[] {2}, 1, 1), "moving_mean", Tensor.of(new int[] {2}, 0, 1),
                "moving_variance", Tensor.of(new int[] {2}, 4, 1)), in);
        // bn: [2·1/2+1, 3·(-3)/1+1] = [2, -8]
        String pr = g.add("pr", new PReLU(), Map.of("alpha", Tensor.of(new int[] {2}, 0.5f, 0.25f)), bn);
        // prelu: [2, -2]
        g.add("fc", new Dense(3, true, ActivationFn.LINEAR), Map.of("kernel", Tensor.of(new int[] {2, 3}, 1, 2, 3, 4, 5, 6),
                "bias", Tensor.of(new int[] {3}, 0.5f, 0, 0)), pr);
        EvaluationResult r = FloatEvaluator.evaluate(g, Map.of(in, t), true);
        assertThat(r.tensor(bn).data()).containsExactly(2, -8);
        assertThat(r.tensor(pr).data()).containsExactly(2, -2);
        assertThat(r.output().data()).containsExactly(2 - 8 + 0.5f, 4 - 10, 6 - 12);
        assertThat(r.tensors()).hasSize(4);
    }

    @Test
    void mergesBroadcastAndConcatenateFollowsTheAxis() {
        Graph g = new Graph();
        String a = g.add("a", new Input(TensorShape.hwc(1, 2, 2)));
        String b = g.add("b", new Input(TensorShape.of(2)));
        String sub = g.add("sub", new Subtract(), a, b);
        String cat = g.add("cat", new Concatenate(2), sub, a);
        g.setOutputs(java.util.List.of(sub, cat));
        EvaluationResult r = FloatEvaluator.evaluate(g, Map.of(a, Tensor.of(new int[] {1, 2, 2}, 1, 2, 3, 4),
                b, Tensor.of(new int[] {2}, 10, 20)), false);
        assertThat(r.output(0).data()).containsExactly(-9, -18, -7, -16);
        assertThat(r.output(1).shape()).containsExactly(1, 4, 2);
        assertThat(r.output(1).data()).containsExactly(-9, -18, -7, -16, 1, 2, 3, 4);
        assertThat(r.tensors()).containsOnlyKeys(sub, cat);
    }

    @Test
    void reshapeInfersMinusOneAndFlattenKeepsNhwcOrder() {
        Graph g = new Graph();
        String in = g.add("in", new Input(TensorShape.hwc(2, 2, 3)));
        String f = g.add("f", new Flatten(), in);
        g.add("r", Reshape.to(-1, 4), f);
        Tensor y = run(g, new Tensor(new int[] {2, 2, 3}, new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
        assertThat(y.shape()).containsExactly(3, 4);
        assertThat(y.data()[5]).isEqualTo(5);
    }

    @Test
    void wrongInputsAreReportedWithTheLayerName() {
        Graph g = new Graph();
        String in = g.add("image", new Input(TensorShape.hwc(4, 4, 3)));
        g.add("conv", Conv2D.of(2, 3, 1, Padding.SAME), in);
        assertThatThrownBy(() -> FloatEvaluator.evaluate(g, Map.of(in, Tensor.zeros(4, 4, 1)), false))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("expects shape 4×4×3");
        assertThatThrownBy(() -> FloatEvaluator.evaluate(g, Map.of(), false))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("no value given for the input 'image'");
        assertThatThrownBy(() -> FloatEvaluator.evaluate(g, Map.of(in, Tensor.zeros(1, 4, 4, 3)), false))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("conv").hasMessageContaining("no weight 'kernel'");
    }

    private static float[] single(LayerParams p, Tensor x) {
        Graph g = new Graph();
        String in = g.add("in", new Input(TensorShape.of(x.shape())));
        g.add("l", p, in);
        return run(g, x).data();
    }
}
