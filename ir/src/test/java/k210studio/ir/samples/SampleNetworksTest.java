package k210studio.ir.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.PReLU;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/** Pins the sample networks to the brief, layer for layer, and their weights to the promised statistics. */
class SampleNetworksTest {

    /** "kind/detail" per layer, e.g. "Conv2D 32 3x3 s2 valid", in topological order. */
    private static List<String> describe(Graph g) {
        List<String> out = new ArrayList<>();
        for (String id : g.topologicalOrder()) {
            Layer l = g.layer(id);
            if (l.params() instanceof Conv2D c) {
                out.add("Conv2D " + c.filters() + " " + c.kernelH() + "x" + c.kernelW() + " s" + c.strideH() + " " + c.padding().keras());
            } else if (l.params() instanceof ZeroPadding2D z) {
                out.add(z.isSymmetricOne() ? "ZeroPadding2D 1" : "ZeroPadding2D " + z);
            } else if (l.params() instanceof Dense d) {
                out.add("Dense " + d.units());
            } else if (l.params() instanceof Activation a) {
                out.add("Activation " + a.fn());
            } else {
                out.add(l.params().kerasName());
            }
        }
        return out;
    }

    private static List<String> briefExpected(boolean needsFixing) {
        List<String> e = new ArrayList<>();
        e.add("InputLayer");
        String[] stages = {"32 s2", "32 s2", "32 s1", "32 s1", "32 s2", "64 s1"};
        for (int s = 0; s < stages.length; s++) {
            String filters = stages[s].split(" ")[0];
            String stride = stages[s].split(" ")[1];
            if (needsFixing && stride.equals("s2")) {
                e.add("Conv2D " + filters + " 3x3 s2 same");
            } else {
                e.add("ZeroPadding2D 1");
                e.add("Conv2D " + filters + " 3x3 " + stride + " valid");
            }
            e.add("BatchNormalization");
            e.add("ReLU");
            if (s > 0) {
                for (int k = 0; k < 2; k++) {
                    e.add("Conv2D " + filters + (needsFixing && s == 2 && k == 0 ? " 5x5" : " 3x3") + " s1 same");
                    e.add("BatchNormalization");
                    e.add(needsFixing && s == 3 && k == 1 ? "PReLU" : "ReLU");
                }
            }
        }
        e.add("Flatten");
        e.add("Dropout");
        e.add("Dense 2");
        e.add("Activation softmax");
        return e;
    }

    @Test
    void briefNetworkIsTheBriefLayerForLayer() {
        Graph g = SampleNetworks.briefTwoClass();
        assertThat(describe(g)).containsExactlyElementsOf(briefExpected(false));
        assertThat(g.problems()).isEmpty();
        assertThat(g.layers().get(0).name()).isEqualTo("input_1");
        assertThat(g.layerNamed("conv2d_15")).isNotNull(); // 16 convs, Keras names conv2d … conv2d_15
        assertThat(g.layerNamed("conv2d_16")).isNull();
        assertThat(g.layerNamed("batch_normalization_15")).isNotNull();
        assertThat(g.layerNamed("re_lu_15")).isNotNull();
        assertThat(g.layerNamed("zero_padding2d_5")).isNotNull();
    }

    @Test
    void briefNetworkShapesEndIn30x40x64AndTwoClasses() {
        Graph g = SampleNetworks.briefTwoClass();
        ShapeResult s = ShapeInference.infer(g);
        assertThat(s.ok()).isTrue();
        assertThat(s.shape(g.layerNamed("input_1").id())).isEqualTo(TensorShape.hwc(240, 320, 3));
        assertThat(s.shape(g.layerNamed("conv2d").id())).isEqualTo(TensorShape.hwc(120, 160, 32));
        assertThat(s.shape(g.layerNamed("conv2d_1").id())).isEqualTo(TensorShape.hwc(60, 80, 32));
        assertThat(s.shape(g.layerNamed("conv2d_12").id())).isEqualTo(TensorShape.hwc(30, 40, 32));
        assertThat(s.shape(g.layerNamed("conv2d_13").id())).isEqualTo(TensorShape.hwc(30, 40, 64));
        assertThat(s.shape(g.layerNamed("conv2d_15").id())).isEqualTo(TensorShape.hwc(30, 40, 64));
        assertThat(s.shape(g.layerNamed("flatten").id())).isEqualTo(TensorShape.of(30 * 40 * 64));
        assertThat(s.shape(g.layerNamed("activation").id())).isEqualTo(TensorShape.of(2));
        assertThat(g.outputIds()).containsExactly(g.layerNamed("activation").id());
        String lastConv = g.topologicalOrder().stream().filter(id -> g.layer(id).params() instanceof Conv2D)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(s.shape(lastConv)).isEqualTo(TensorShape.hwc(30, 40, 64));
    }

    @Test
    void needsFixingVariantHasSameStride2A5x5AndAPReLUAndTheSameShapes() {
        Graph g = SampleNetworks.briefNeedsFixing();
        assertThat(describe(g)).containsExactlyElementsOf(briefExpected(true));
        ShapeResult s = ShapeInference.infer(g);
        assertThat(s.ok()).isTrue();
        Graph ok = SampleNetworks.briefTwoClass();
        ShapeResult so = ShapeInference.infer(ok);
        for (int i = 0; i < 16; i++) {
            String n = i == 0 ? "conv2d" : "conv2d_" + i;
            assertThat(s.shape(g.layerNamed(n).id())).as(n).isEqualTo(so.shape(ok.layerNamed(n).id()));
        }
        long same2 = g.layers().stream().filter(l -> l.params() instanceof Conv2D c && c.strideH() == 2 && c.padding() == Padding.SAME).count();
        assertThat(same2).isEqualTo(3);
        Layer prelu = g.layers().stream().filter(l -> l.params() instanceof PReLU).findFirst().orElseThrow();
        assertThat(prelu.weight("alpha").shape()).containsExactly(1, 1, 32);
        Layer five = g.layers().stream().filter(l -> l.params() instanceof Conv2D c && c.kernelH() == 5).findFirst().orElseThrow();
        assertThat(five.weight("kernel").shape()).containsExactly(5, 5, 32, 32);
    }

    @Test
    void mobileNetStyleIsDepthwiseSeparableWithK210Padding() {
        Graph g = SampleNetworks.mobileNetStyle();
        ShapeResult s = ShapeInference.infer(g);
        assertThat(s.ok()).isTrue();
        assertThat(g.problems()).isEmpty();
        assertThat(s.shape(g.layerNamed("conv1").id())).isEqualTo(TensorShape.hwc(64, 64, 16));
        assertThat(s.shape(g.layerNamed("conv_pw_7_relu").id())).isEqualTo(TensorShape.hwc(8, 8, 256));
        assertThat(s.shape(g.layerNamed("act_softmax").id())).isEqualTo(TensorShape.of(20));
        for (Layer l : g.layers()) {
            if (l.params() instanceof DepthwiseConv2D d) {
                // stride 2 only as explicit (1,1) padding + 'valid'
                assertThat(d.padding()).as(l.name()).isEqualTo(d.strideH() == 2 ? Padding.VALID : Padding.SAME);
                if (d.strideH() == 2) {
                    assertThat(g.layer(g.inputsOf(l.id()).get(0)).params()).isEqualTo(ZeroPadding2D.symmetric(1));
                }
            }
            if (l.params() instanceof ReLU r) {
                assertThat(r.maxValue()).isEqualTo(6f);
            }
        }
        assertThat(((Activation) g.layerNamed("act_softmax").params()).fn()).isEqualTo(ActivationFn.SOFTMAX);
    }

    @Test
    void weightsHaveTheirLayersShapesAndHeStatistics() {
        Graph g = SampleNetworks.briefTwoClass();
        ShapeResult s = ShapeInference.infer(g);
        for (Layer l : g.layers()) {
            if (l.params() instanceof Conv2D c) {
                int cin = s.shape(g.inputsOf(l.id()).get(0)).c();
                Tensor k = l.weight("kernel");
                assertThat(k.shape()).containsExactly(c.kernelH(), c.kernelW(), cin, c.filters());
                assertThat(l.weight("bias").shape()).containsExactly(c.filters());
                double std = std(k.data());
                assertThat(std).as(l.name()).isCloseTo(Math.sqrt(2.0 / (c.kernelH() * c.kernelW() * cin)), org.assertj.core.data.Percentage.withPercentage(15));
            }
            if (l.params() instanceof BatchNormalization) {
                assertThat(mean(l.weight("gamma").data())).isCloseTo(1, org.assertj.core.data.Offset.offset(0.05));
                assertThat(mean(l.weight("beta").data())).isCloseTo(0, org.assertj.core.data.Offset.offset(0.05));
                assertThat(mean(l.weight("moving_mean").data())).isCloseTo(0, org.assertj.core.data.Offset.offset(0.05));
                for (float v : l.weight("moving_variance").data()) {
                    assertThat(v).isBetween(0.9f, 1.1f);
                }
            }
        }
        assertThat(g.layerNamed("dense").weight("kernel").shape()).containsExactly(30 * 40 * 64, 2);
    }

    @Test
    void buildersAreDeterministicAndSamplesDiffer() {
        assertThat(SampleNetworks.briefTwoClass()).isEqualTo(SampleNetworks.briefTwoClass());
        assertThat(SampleNetworks.mobileNetStyle()).isEqualTo(SampleNetworks.mobileNetStyle());
        assertThat(SampleNetworks.briefTwoClass().layer("L3").weight("kernel"))
                .isNotEqualTo(SampleNetworks.briefNeedsFixing().layer("L3").weight("kernel"));
    }

    @Test
    void layersAreLaidOutTopToBottom() {
        Graph g = SampleNetworks.briefTwoClass();
        List<String> order = g.topologicalOrder();
        for (int i = 1; i < order.size(); i++) {
            Position a = g.position(order.get(i - 1));
            Position b = g.position(order.get(i));
            assertThat(b.y()).isGreaterThan(a.y());
            assertThat(b.x()).isEqualTo(a.x());
        }
    }

    @Test
    void everySampleProjectRoundTripsThroughTheProjectFile() throws Exception {
        for (String name : SampleNetworks.NAMES) {
            Project p = SampleNetworks.project(name);
            assertThat(ProjectFile.fromBytes(ProjectFile.toBytes(p), name)).isEqualTo(p);
        }
        assertThat(SampleNetworks.project("mobilenet_style").settings().labels()).hasSize(20);
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
