package k210studio.converter.compile.lower;

import java.util.List;
import k210studio.converter.compile.Calibration;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;

/** What every lowering pass reads: the prepared graph, its shapes, the calibration and the target's options. */
final class LoweringContext {
    final Graph g;
    final ShapeResult shapes;
    final Calibration cal;
    final CompileOptions opt;
    final QuantRules rules;

    LoweringContext(Graph prepared, Calibration cal, CompileOptions opt) {
        this.g = prepared;
        this.shapes = ShapeInference.infer(prepared);
        this.cal = cal;
        this.opt = opt;
        this.rules = opt.target();
    }

    boolean v3() {
        return rules == QuantRules.V3;
    }

    /** The one layer reading this layer's output, or null when several do or it is a network output. */
    String soleConsumer(String id) {
        List<String> cs = g.consumersOf(id);
        return cs.size() == 1 && !g.explicitOutputs().contains(id) ? cs.get(0) : null;
    }

    String targetName() {
        return v3() ? "kmodel V3" : "kmodel V4";
    }

    CompileException unsupported(Layer l, String what, String fix) {
        return new CompileException(l.name() + " (" + l.params().kerasName() + "): " + what + " — " + targetName()
                + " cannot run it. Fix: " + fix + ".", l.name());
    }

    String alternatives(LayerParams p) {
        return v3() ? "compile for V4, or replace the layer" : "replace the layer";
    }
}
