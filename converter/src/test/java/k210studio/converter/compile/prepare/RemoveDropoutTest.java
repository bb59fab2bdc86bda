package k210studio.converter.compile.prepare;

import static k210studio.converter.compile.PassTesting.applyTo;
import static k210studio.converter.compile.PassTesting.assertLeavesUnchanged;
import static k210studio.converter.compile.PassTesting.maxOutputDifference;
import static k210studio.converter.compile.PassTesting.outputNames;
import static k210studio.converter.compile.PassTesting.random;
import static k210studio.converter.compile.PassTesting.structure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class RemoveDropoutTest {
    private final RemoveDropout pass = new RemoveDropout();

    /** Adds image 4×4×3 → conv (1×1, 2 channels); returns the conv's id. */
    private static String imageConv(Graph g) {
        String in = g.add("image", new Input(TensorShape.hwc(4, 4, 3)));
        return g.add("conv", Conv2D.of(2, 1, 1, Padding.SAME), Map.of("kernel", random(1, 1, 1, 3, 2), "bias", random(2, 2)), in);
    }

    // pins: a Dropout on the second input of a Concatenate disappears and its producer takes the same port (order matters)
    @Test
    void dropoutIsRemovedAndItsProducerFeedsTheSamePort() {
        Graph g = new Graph("drop");
        String in = g.add("image", new Input(TensorShape.hwc(8, 8, 3)));
        String a = g.add("conv_a", Conv2D.of(4, 3, 1, Padding.SAME), Map.of("kernel", random(1, 3, 3, 3, 4), "bias", random(2, 4)), in);
        String b = g.add("conv_b", Conv2D.of(2, 1, 1, Padding.SAME), Map.of("kernel", random(3, 1, 1, 3, 2), "bias", random(4, 2)), in);
        String drop = g.add("drop", new Dropout(0.5f), b);
        g.add("cat", new Concatenate(-1), a, drop);
        Graph before = applyTo(pass, g);

        assertThat(structure(g)).containsExactly("image: InputLayer", "conv_a: Conv2D ← image", "conv_b: Conv2D ← image",
                "cat: Concatenate ← conv_a, conv_b");
        assertThat(maxOutputDifference(before, g, 7)).isZero();
    }

    // pins: a Dropout that is an explicit network output hands that output over to its producer
    @Test
    void aDropoutOutputBecomesItsProducer() {
        Graph g = new Graph("drop_out");
        String c = imageConv(g);
        String d1 = g.add("drop1", new Dropout(0.2f), c);
        String d2 = g.add("drop2", new Dropout(0.2f), d1);
        g.setOutputs(List.of(c, d2));

        pass.apply(g);

        assertThat(structure(g)).containsExactly("image: InputLayer", "conv: Conv2D ← image");
        assertThat(outputNames(g)).containsExactly("conv", "conv");
    }

    // pins: a layer reading the same Dropout on two ports (x + x) keeps both inputs once the Dropout is gone
    @Test
    void aConsumerReadingTheDropoutTwiceKeepsBothPorts() {
        Graph g = new Graph("drop_twice");
        String c = imageConv(g);
        String d = g.add("drop", new Dropout(0.5f), c);
        g.add("double", new Add(), d, d);
        Graph before = applyTo(pass, g);

        assertThat(structure(g)).containsExactly("image: InputLayer", "conv: Conv2D ← image", "double: Add ← conv, conv");
        assertThat(maxOutputDifference(before, g, 3)).isZero();
    }

    // pins: a graph without Dropout is left exactly as it was
    @Test
    void aGraphWithoutDropoutIsUnchanged() {
        Graph g = new Graph("plain");
        imageConv(g);
        assertLeavesUnchanged(pass, g);
    }
}
