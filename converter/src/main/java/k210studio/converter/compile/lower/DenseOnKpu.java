package k210studio.converter.compile.lower;

import java.util.HashSet;
import java.util.Set;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Dense;
import k210studio.ir.tensor.TensorShape;

/**
 * Lowering pass 3 — Dense on the KPU: a Dense layer with at least {@code kpuDenseMinWeights} weights (nncase: 1024)
 * and at most 1024 inputs and outputs runs on the KPU as a 1×1 conv on a 4×4 map whose pixel (0, 0) holds the vector;
 * its activation must be element-wise (not softmax) and, on V3, one its fixed tables have. The others stay float32
 * fully-connected layers on the CPU.
 */
final class DenseOnKpu {
    private DenseOnKpu() {
    }

    /** The ids of the Dense layers that run on the KPU. */
    static Set<String> run(LoweringContext ctx) {
        Set<String> onKpu = new HashSet<>();
        for (Layer l : ctx.g.layers()) {
            if (!(l.params() instanceof Dense d)) {
                continue;
            }
            TensorShape x = ctx.shapes.shape(ctx.g.inputsOf(l.id()).get(0));
            long inC = x.elements();
            int outC = d.units();
            // softmax is no per-value table: such a Dense stays a CPU fully-connected layer + softmax
            if (inC * outC >= ctx.opt.kpuDenseMinWeights() && inC <= 1024 && outC <= 1024 && d.activation().isElementwise()
                    && (!ctx.v3() || KpuConvSuitability.v3Activation(d.activation()))) {
                onKpu.add(l.id());
            }
        }
        return onKpu;
    }
}
