package k210studio.ir.rules;

import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/** Tiny graphs for the rule tests: a chain from an Input, layers named by the caller. */
final class Nets {
    final Graph g = new Graph("t");
    String last;

    static Nets input(int h, int w, int c) {
        Nets n = new Nets();
        n.last = n.g.add("input_1", new k210studio.ir.layer.Input(TensorShape.hwc(h, w, c)));
        return n;
    }

    static Nets vector(int n) {
        Nets x = new Nets();
        x.last = x.g.add("input_1", new k210studio.ir.layer.Input(TensorShape.of(n)));
        return x;
    }

    Nets then(String name, LayerParams p) {
        last = g.add(name, p, last);
        return this;
    }

    Nets then(String name, LayerParams p, Map<String, Tensor> w) {
        last = g.add(name, p, w, last);
        return this;
    }

    CheckReport check() {
        return K210Checker.check(g);
    }

    String id(String name) {
        Layer l = g.layerNamed(name);
        if (l == null) {
            throw new IllegalArgumentException("no layer " + name);
        }
        return l.id();
    }

    LayerCheck at(CheckReport r, String name) {
        return r.layer(id(name));
    }
}
