package k210studio.converter.compile.prepare;

import static k210studio.converter.compile.PassTesting.applyTo;
import static k210studio.converter.compile.PassTesting.assertLeavesUnchanged;
import static k210studio.converter.compile.PassTesting.maxOutputDifference;
import static k210studio.converter.compile.PassTesting.named;
import static k210studio.converter.compile.PassTesting.random;
import static k210studio.converter.compile.PassTesting.startingWith;
import static k210studio.converter.compile.PassTesting.structure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.tensor.TensorShape;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

class PixelConvToDenseTest {
    private final PixelConvToDense pass = new PixelConvToDense();

    // pins: Keras MobileNet's classifier head (conv_preds, a 1×1 conv on the pooled 1×1×256 map) becomes a Dense 256 → 1000
    // in the real TinyMaix mbnet128 file; it is the only conv that changes and the probabilities are the same
    @Test
    void mobilenetClassifierHeadBecomesDense() throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture("tflite/tinymaix_mbnet128_0.25_float.tflite")).graph();
        Graph before = applyTo(pass, g);

        String head = startingWith(g, "conv_preds").id();
        assertThat(startingWith(before, "conv_preds").params()).isInstanceOf(Conv2D.class);
        assertThat(g.layer(head).params()).isEqualTo(new Dense(1000, true, ActivationFn.LINEAR));
        assertThat(g.layer(head).weight("kernel").shape()).containsExactly(256, 1000);
        List<String> changed = g.ids().stream().filter(id -> !g.layer(id).equals(before.layer(id))).toList();
        assertThat(changed).containsExactly(head);
        assertThat(maxOutputDifference(before, g, 1)).isLessThan(1e-5);
    }

    // pins: the kernel [1, 1, in, out] is reshaped to Dense's [in, out] with bias and activation kept, exactly
    @Test
    void pixelConvKeepsBiasAndActivation() {
        Graph g = new Graph("pixel");
        String in = g.add("vec", new Input(TensorShape.hwc(1, 1, 16)));
        g.add("head", new Conv2D(10, 1, 1, 1, 1, Padding.VALID, 1, 1, true, ActivationFn.RELU),
                Map.of("kernel", random(1, 1, 1, 16, 10), "bias", random(2, 10)), in);
        Graph before = applyTo(pass, g);

        assertThat(structure(g)).containsExactly("vec: InputLayer", "head: Dense ← vec");
        assertThat(named(g, "head").params()).isEqualTo(new Dense(10, true, ActivationFn.RELU));
        assertThat(named(g, "head").weight("bias")).isEqualTo(named(before, "head").weight("bias"));
        assertThat(maxOutputDifference(before, g, 2)).isLessThan(1e-6);
    }

    // pins: left alone — a 1×1 conv on a 2×2 or a 1×4 map (per pixel, not one vector), a 1×1 stride-2 conv from a 2×2 map,
    // a 3×3 conv on a 1×1 map
    @Test
    void otherConvsAreUnchanged() {
        Graph g = new Graph("others");
        String map = g.add("map", new Input(TensorShape.hwc(2, 2, 8)));
        g.add("pw_on_2x2", Conv2D.of(4, 1, 1, Padding.VALID), Map.of("kernel", random(1, 1, 1, 8, 4), "bias", random(2, 4)), map);
        String pixel = g.add("pixel", Conv2D.of(8, 1, 2, Padding.VALID), Map.of("kernel", random(3, 1, 1, 8, 8), "bias", random(4, 8)), map);
        g.add("k3_on_1x1", Conv2D.of(4, 3, 1, Padding.SAME), Map.of("kernel", random(5, 3, 3, 8, 4), "bias", random(6, 4)), pixel);
        String row = g.add("row", new Input(TensorShape.hwc(1, 4, 8)));
        g.add("pw_on_1x4", Conv2D.of(4, 1, 1, Padding.VALID), Map.of("kernel", random(7, 1, 1, 8, 4), "bias", random(8, 4)), row);
        assertLeavesUnchanged(pass, g);
    }
}
