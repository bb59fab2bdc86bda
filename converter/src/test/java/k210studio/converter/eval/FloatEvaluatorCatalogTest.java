package k210studio.converter.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/**
 * Every layer kind of the catalog has a kernel, and each kernel's output shape is the one
 * ShapeInference (TF's rules) predicts. Adding a layer to the catalog without a kernel fails here.
 */
class FloatEvaluatorCatalogTest {

    private static Tensor w(int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) Math.sin(i + 1);
        }
        return t;
    }

    /** One small graph per layer kind: input 7×6×4 (or a vector), the layer under test last. */
    private static Map<Class<?>, Supplier<Graph>> cases() {
        Map<Class<?>, Supplier<Graph>> m = new LinkedHashMap<>();
        m.put(Input.class, () -> one(null, Map.of()));
        m.put(Conv2D.class, () -> one(new Conv2D(5, 3, 2, 2, 1, Padding.SAME, 1, 2, true, ActivationFn.RELU6),
                Map.of("kernel", w(3, 2, 4, 5), "bias", w(5))));
        m.put(DepthwiseConv2D.class, () -> one(new DepthwiseConv2D(3, 3, 2, 2, Padding.VALID, 2, 1, 1, true, ActivationFn.TANH),
                Map.of("depthwise_kernel", w(3, 3, 4, 2), "bias", w(8))));
        m.put(SeparableConv2D.class, () -> one(new SeparableConv2D(3, 3, 3, 1, 1, Padding.SAME, 1, false, ActivationFn.LINEAR),
                Map.of("depthwise_kernel", w(3, 3, 4, 1), "pointwise_kernel", w(1, 1, 4, 3))));
        m.put(Conv2DTranspose.class, () -> one(new Conv2DTranspose(2, 3, 3, 2, 2, Padding.VALID, true, ActivationFn.SIGMOID),
                Map.of("kernel", w(3, 3, 2, 4), "bias", w(2))));
        m.put(ZeroPadding2D.class, () -> one(new ZeroPadding2D(0, 1, 2, 3), Map.of()));
        m.put(BatchNormalization.class, () -> one(BatchNormalization.keras(), Map.of("gamma", w(4), "beta", w(4),
                "moving_mean", w(4), "moving_variance", Tensor.of(new int[] {4}, 1, 2, 3, 4))));
        m.put(Activation.class, () -> one(new Activation(ActivationFn.of(ActivationFn.Kind.SWISH)), Map.of()));
        m.put(ReLU.class, () -> one(ReLU.relu6(), Map.of()));
        m.put(LeakyReLU.class, () -> one(new LeakyReLU(0.3f), Map.of()));
        m.put(PReLU.class, () -> one(new PReLU(), Map.of("alpha", w(1, 1, 4))));
        m.put(MaxPooling2D.class, () -> one(MaxPooling2D.of(3, 2, Padding.SAME), Map.of()));
        m.put(AveragePooling2D.class, () -> one(new AveragePooling2D(2, 3, 1, 2, Padding.VALID), Map.of()));
        m.put(GlobalAveragePooling2D.class, () -> one(new GlobalAveragePooling2D(true), Map.of()));
        m.put(GlobalMaxPooling2D.class, () -> one(new GlobalMaxPooling2D(false), Map.of()));
        m.put(Dense.class, () -> one(new Dense(3, true, ActivationFn.SOFTMAX), Map.of("kernel", w(4, 3), "bias", w(3))));
        m.put(Flatten.class, () -> one(new Flatten(), Map.of()));
        m.put(Reshape.class, () -> one(Reshape.to(6, -1), Map.of()));
        m.put(Dropout.class, () -> one(new Dropout(0.5f), Map.of()));
        m.put(Add.class, () -> two(new Add()));
        m.put(Subtract.class, () -> two(new Subtract()));
        m.put(Multiply.class, () -> two(new Multiply()));
        m.put(Concatenate.class, () -> two(new Concatenate(2)));
        m.put(UpSampling2D.class, () -> one(new UpSampling2D(2, 3, Interpolation.BILINEAR), Map.of()));
        m.put(Softmax.class, () -> one(new Softmax(1), Map.of()));
        m.put(Resizing.class, () -> one(new Resizing(5, 9, Interpolation.NEAREST, false, true), Map.of()));
        return m;
    }

    private static Graph one(LayerParams p, Map<String, Tensor> weights) {
        Graph g = new Graph();
        String in = g.add("in", new Input(TensorShape.hwc(7, 6, 4)));
        if (p != null) {
            g.add("layer", p, weights, in);
        }
        return g;
    }

    private static Graph two(LayerParams p) {
        Graph g = new Graph();
        String in = g.add("in", new Input(TensorShape.hwc(7, 6, 4)));
        String relu = g.add("relu", ReLU.plain(), in);
        g.add("layer", p, in, relu);
        return g;
    }

    @Test
    void everyCatalogLayerRunsAndMatchesShapeInference() {
        Map<Class<?>, Supplier<Graph>> cases = cases();
        assertThat(cases.keySet()).containsExactlyInAnyOrder(LayerParams.class.getPermittedSubclasses());
        for (Map.Entry<Class<?>, Supplier<Graph>> e : cases.entrySet()) {
            Graph g = e.getValue().get();
            var shapes = ShapeInference.infer(g);
            assertThat(shapes.ok()).as(e.getKey().getSimpleName() + " " + shapes.errors()).isTrue();
            String in = g.inputIds().get(0);
            EvaluationResult r = FloatEvaluator.evaluate(g, Map.of(in, w(7, 6, 4)), true);
            for (String id : g.ids()) {
                Tensor t = r.tensor(id);
                assertThat(t.shape()).as(e.getKey().getSimpleName() + " layer " + g.layer(id).name())
                        .containsExactly(shapes.shape(id).dims());
                for (float v : t.data()) {
                    assertThat(Float.isFinite(v)).as(e.getKey().getSimpleName() + " produces finite values").isTrue();
                }
            }
            assertThat(r.outputIds()).isEqualTo(List.copyOf(g.outputIds()));
        }
        assertThat(Arrays.stream(LayerParams.class.getPermittedSubclasses()).count()).isEqualTo(cases.size());
    }
}
