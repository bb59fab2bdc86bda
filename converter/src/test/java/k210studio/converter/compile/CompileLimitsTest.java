package k210studio.converter.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * What the compiler refuses, and how it says so: a feature map that cannot fit the 2 MiB KPU RAM, weights over the
 * main-RAM budget, and layers kmodel V3 has no form for — always naming the layer (issue [5/8]).
 */
class CompileLimitsTest {

    @Test
    void featureMapsOverTwoMebibytesNameTheLayer() {
        // 320×240×64 output = 4.9 MB of KPU RAM, alone more than the 2 MiB
        Graph g = new Graph("too_big");
        String in = g.add("image", new Input(TensorShape.hwc(240, 320, 3)));
        g.add("wide_conv", noBias(64), Map.of("kernel", random(3, 3, 3, 64)), in);
        assertThatThrownBy(() -> K210Compiler.compile(g, List.of(image(240, 320, 3)), CompileOptions.defaults(QuantRules.V3), null))
                .isInstanceOf(CompileException.class)
                .hasMessageContaining("KPU RAM is full at layer 'wide_conv'")
                .satisfies(e -> assertThat(((CompileException) e).layerName()).isEqualTo("wide_conv"));
    }

    @Test
    void weightsOverTheMainRamBudgetNameTheLayer() {
        // three 1×1 convs 1024→1024 on a 4×4 map: 3 × 1 MiB of 8-bit weights against a 2.5 MB budget
        Graph g = new Graph("heavy");
        String x = g.add("features", new Input(TensorShape.hwc(4, 4, 1024)));
        for (String name : List.of("conv_a", "conv_b", "conv_c")) {
            x = g.add(name, pointwise(1024), Map.of("kernel", random(1, 1, 1024, 1024)), x);
        }
        CompileOptions opt = CompileOptions.defaults(QuantRules.V3).withMainRamBudget(2_500_000);
        assertThatThrownBy(() -> K210Compiler.compile(g, List.of(image(4, 4, 1024)), opt, null))
                .isInstanceOf(CompileException.class)
                .hasMessageContaining("budget is 2,500,000 B")
                .hasMessageContaining("'conv_c'")
                .satisfies(e -> assertThat(((CompileException) e).layerName()).isEqualTo("conv_c"));
    }

    @Test
    void moreThanSixtyFourWeightLoadsIsRefused() {
        // 3×3 512→512: 4.5 KiB per output channel, 6 channels per 30 KiB load, 86 loads: the 6-bit load_time caps at 64
        Graph g = new Graph("wide");
        String in = g.add("features", new Input(TensorShape.hwc(4, 4, 512)));
        g.add("conv_512", noBias(512), Map.of("kernel", random(3, 3, 512, 512)), in);
        assertThatThrownBy(() -> K210Compiler.compile(g, List.of(image(4, 4, 512)), CompileOptions.defaults(QuantRules.V4), null))
                .isInstanceOf(CompileException.class)
                .hasMessageContaining("conv_512")
                .hasMessageContaining("64 weight loads");
    }

    @Test
    void ulffdLandmarkIsRefusedForV3NamingTheLayerAndWhy() throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture("tflite/nncase_ulffd_landmark.tflite")).graph();
        assertThatThrownBy(() -> K210Compiler.compile(g, List.of(image(240, 320, 3)), CompileOptions.defaults(QuantRules.V3), null))
                .isInstanceOf(CompileException.class)
                .hasMessageContaining("kmodel V3 cannot run it")
                .satisfies(e -> assertThat(((CompileException) e).layerName()).isNotBlank());
    }

    static Conv2D pointwise(int filters) {
        return new Conv2D(filters, 1, 1, 1, 1, Padding.SAME, 1, 1, false, k210studio.ir.layer.ActivationFn.LINEAR);
    }

    static Conv2D noBias(int filters) {
        return new Conv2D(filters, 3, 3, 1, 1, Padding.SAME, 1, 1, false, k210studio.ir.layer.ActivationFn.LINEAR);
    }

    static Tensor random(int... shape) {
        Random r = new Random(42);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 0.05);
        }
        return new Tensor(shape, v);
    }

    static Tensor image(int h, int w, int c) {
        Random r = new Random(7);
        float[] v = new float[h * w * c];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return new Tensor(new int[] {h, w, c}, v);
    }
}
