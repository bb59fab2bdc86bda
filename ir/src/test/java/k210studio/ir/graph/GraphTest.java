package k210studio.ir.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.Subtract;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/** The graph's invariants: acyclic, no dangling edges, ordered input ports, deterministic topological order, value semantics of copy/equals. */
class GraphTest {

    private static Graph chain() {
        Graph g = new Graph("chain");
        String in = g.add("input_1", new Input(TensorShape.hwc(8, 8, 3)));
        String c = g.add("conv2d", Conv2D.of(4, 3, 1, Padding.SAME), in);
        g.add("re_lu", ReLU.plain(), c);
        return g;
    }

    @Test
    void aConnectionThatWouldCloseACycleIsRejectedAndChangesNothing() {
        Graph g = chain();
        Graph before = g.copy();
        String in = g.layerNamed("input_1").id();
        String conv = g.layerNamed("conv2d").id();
        String relu = g.layerNamed("re_lu").id();
        String add = g.add("add", new Add(), relu);
        Graph withAdd = g.copy();
        assertThatThrownBy(() -> g.connect(add, conv)).isInstanceOf(GraphException.class)
                .hasMessageContaining("would make a cycle").hasMessageContaining("conv2d").hasMessageContaining("add")
                .satisfies(e -> assertThat(((GraphException) e).layerId()).isEqualTo(conv));
        assertThat(g).isEqualTo(withAdd);
        assertThatThrownBy(() -> g.connect(relu, relu)).isInstanceOf(GraphException.class).hasMessageContaining("cannot feed itself");
        assertThat(g.topologicalOrder()).containsExactly(in, conv, relu, add);
        assertThat(before.size()).isEqualTo(3);
    }

    @Test
    void edgesMustJoinExistingLayers() {
        Graph g = chain();
        String relu = g.layerNamed("re_lu").id();
        assertThatThrownBy(() -> g.connect("L99", relu)).isInstanceOf(GraphException.class)
                .hasMessageContaining("no layer with id 'L99'").hasMessageContaining("edge");
        assertThatThrownBy(() -> g.connect(relu, "L98")).isInstanceOf(GraphException.class).hasMessageContaining("'L98'");
        assertThatThrownBy(() -> g.setOutputs(List.of("L97"))).isInstanceOf(GraphException.class);
        assertThatThrownBy(() -> g.inputsOf("L96")).isInstanceOf(GraphException.class);
        assertThatThrownBy(() -> g.layer("L95")).isInstanceOf(GraphException.class);
    }

    @Test
    void removingALayerRemovesEveryEdgeAndOutputThatTouchesIt() {
        Graph g = chain();
        String conv = g.layerNamed("conv2d").id();
        String relu = g.layerNamed("re_lu").id();
        g.setOutputs(List.of(conv, relu));
        g.setPosition(conv, new Position(1, 2));
        g.removeLayer(conv);
        assertThat(g.inputsOf(relu)).isEmpty();
        assertThat(g.explicitOutputs()).containsExactly(relu);
        assertThat(g.position(conv)).isNull();
        assertThat(g.contains(conv)).isFalse();
        // nothing dangles: every remaining edge joins two existing layers
        for (String id : g.ids()) {
            assertThat(g.inputsOf(id)).allMatch(g::contains);
        }
    }

    @Test
    void inputPortsKeepTheirOrder() {
        Graph g = new Graph();
        String a = g.add("a", new Input(TensorShape.of(4)));
        String b = g.add("b", new Input(TensorShape.of(4)));
        String c = g.add("c", new Input(TensorShape.of(4)));
        String sub = g.add("subtract", new Subtract(), b, a);
        assertThat(g.inputsOf(sub)).containsExactly(b, a);
        assertThat(g.portOf(b, sub)).isZero();
        assertThat(g.portOf(a, sub)).isEqualTo(1);
        assertThat(g.portOf(c, sub)).isEqualTo(-1);
        // Subtract takes exactly two: a third is refused with the reason
        assertThatThrownBy(() -> g.connect(c, sub)).isInstanceOf(GraphException.class).hasMessageContaining("at most 2 inputs");

        String cat = g.add("concatenate", Concatenate.channels(), a, b);
        g.connect(c, cat, 1); // insert in the middle: later ports shift up
        assertThat(g.inputsOf(cat)).containsExactly(a, c, b);
        assertThat(g.disconnect(cat, 0)).isEqualTo(a);
        assertThat(g.inputsOf(cat)).containsExactly(c, b);
        assertThatThrownBy(() -> g.connect(a, cat, 5)).isInstanceOf(GraphException.class).hasMessageContaining("port 5");
        assertThatThrownBy(() -> g.disconnect(cat, 2)).isInstanceOf(GraphException.class).hasMessageContaining("no input on port 2");
        // the same producer may feed two ports (x + x)
        String add = g.add("add", new Add(), a, a);
        assertThat(g.inputsOf(add)).containsExactly(a, a);
        assertThat(g.consumersOf(a)).containsExactly(sub, add);
        assertThatThrownBy(() -> g.connect(a, b)).isInstanceOf(GraphException.class).hasMessageContaining("takes no input"); // b is an Input layer
    }

    @Test
    void problemsListsStructuralIssues() {
        Graph g = new Graph();
        assertThat(g.problems()).isEmpty();
        String d = g.add("dense", new Dense(2, true, ActivationFn.LINEAR));
        assertThat(g.problems()).extracting(Throwable::getMessage)
                .containsExactlyInAnyOrder("the network has no Input layer", "dense (Dense) needs an input, has 0");
        String in = g.add("input_1", new Input(TensorShape.of(4)));
        g.connect(in, d);
        assertThat(g.problems()).isEmpty();
        String add = g.add("add", new Add(), d);
        assertThat(g.problems()).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).isEqualTo("add (Add) needs at least 2 inputs, has 1");
            assertThat(e.layerId()).isEqualTo(add);
        });
    }

    @Test
    void topologicalOrderPutsProducersFirstAndBreaksTiesByInsertionOrder() {
        Graph g = new Graph();
        // inserted out of data order on purpose: b is added before its producer a
        String x = g.add("x", new Input(TensorShape.of(4)));
        String b = g.add("b", new Dense(4, true, ActivationFn.LINEAR));
        String a = g.add("a", new Input(TensorShape.of(4)));
        g.connect(a, b);
        String c = g.add("c", new Dense(4, true, ActivationFn.LINEAR), a);
        String d = g.add("d", new Add(), c, b, x);
        // ready at the start: x, a (insertion order); then b before c (b was inserted first); d last
        assertThat(g.topologicalOrder()).containsExactly(x, a, b, c, d);
        // a diamond whose branches are inserted right-then-left keeps that order
        Graph h = new Graph();
        String in = h.add("in", new Input(TensorShape.of(4)));
        String right = h.add("right", ReLU.plain(), in);
        String left = h.add("left", ReLU.plain(), in);
        String join = h.add("join", new Add(), left, right);
        assertThat(h.topologicalOrder()).containsExactly(in, right, left, join);
        assertThat(h.outputIds()).containsExactly(join);
        assertThat(h.inputIds()).containsExactly(in);
        h.setOutputs(List.of(right, join));
        assertThat(h.outputIds()).containsExactly(right, join);
    }

    @Test
    void copyIsIndependentAndEqualUntilChanged() {
        Graph g = chain();
        String conv = g.layerNamed("conv2d").id();
        g.setPosition(conv, new Position(10, 20));
        g.replaceLayer(g.layer(conv).withWeights(Map.of("kernel", Tensor.zeros(3, 3, 3, 4))));
        AtomicInteger calls = new AtomicInteger();
        g.addListener(calls::incrementAndGet);
        Graph c = g.copy();
        assertThat(c).isEqualTo(g).hasSameHashCodeAs(g);
        assertThat(c.newId()).isEqualTo(g.copy().newId());

        c.setPosition(conv, new Position(10, 21));
        assertThat(c).isNotEqualTo(g);
        assertThat(g.position(conv)).isEqualTo(new Position(10, 20));
        assertThat(calls.get()).isZero(); // listeners stay with the original

        Graph d = g.copy();
        d.disconnect(d.layerNamed("re_lu").id(), 0);
        assertThat(d).isNotEqualTo(g);
        assertThat(g.inputsOf(g.layerNamed("re_lu").id())).containsExactly(conv);

        Graph e = g.copy();
        e.setName("other");
        assertThat(e).isNotEqualTo(g);

        Graph f = g.copy();
        f.replaceLayer(f.layer(conv).withWeights(Map.of("kernel", Tensor.zeros(3, 3, 3, 4).reshape(9, 3, 4))));
        assertThat(f).isNotEqualTo(g);

        Graph o = g.copy();
        o.setOutputs(List.of(conv));
        assertThat(o).isNotEqualTo(g);

        g.setName("renamed");
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void insertionOrderIsPartOfEqualityAndCanBeRestored() {
        Graph g = chain();
        Graph c = g.copy();
        String conv = c.layerNamed("conv2d").id();
        Layer l = c.layer(conv);
        List<String> ins = c.inputsOf(conv);
        List<String> outs = c.consumersOf(conv);
        int at = c.orderIndex(conv);
        c.removeLayer(conv);
        c.addLayer(l); // appended at the end: different order
        for (String p : ins) {
            c.connect(p, conv);
        }
        for (String o : outs) {
            c.connect(conv, o);
        }
        assertThat(c).isNotEqualTo(g);
        c.removeLayer(conv);
        c.addLayer(l, at);
        for (String p : ins) {
            c.connect(p, conv);
        }
        for (String o : outs) {
            c.connect(conv, o);
        }
        assertThat(c).isEqualTo(g);
    }

    @Test
    void idsAndNamesAreFreshAndKerasStyle() {
        Graph g = new Graph();
        g.addLayer(new Layer("L10", "input_1", new Input(TensorShape.of(4))));
        assertThat(g.newId()).isEqualTo("L11");
        g.addLayer(new Layer("custom", "dense", new Dense(1, true, ActivationFn.LINEAR)));
        assertThat(g.uniqueName("dense")).isEqualTo("dense_1");
        assertThat(g.uniqueName("conv2d")).isEqualTo("conv2d");
        assertThatThrownBy(() -> g.addLayer(new Layer("custom", "x", new Dense(1, true, ActivationFn.LINEAR))))
                .isInstanceOf(GraphException.class).hasMessageContaining("already exists");
        assertThat(g.layerNamed("dense").id()).isEqualTo("custom");
        assertThat(g.layerNamed("nope")).isNull();
    }

    @Test
    void inputLayersTakeNoInputs() {
        Graph g = chain();
        String in = g.layerNamed("input_1").id();
        String relu = g.layerNamed("re_lu").id();
        assertThatThrownBy(() -> g.connect(relu, in)).isInstanceOf(GraphException.class);
        assertThat(g.inputsOf(in)).isEmpty();
    }
}
