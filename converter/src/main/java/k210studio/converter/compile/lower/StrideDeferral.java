package k210studio.converter.compile.lower;

import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Conv2D;

/**
 * The KPU has no depthwise stride 2 of its own: a depthwise stride-2 conv whose sole consumer is a stride-1 1×1 KPU
 * conv runs at stride 1, and that 1×1 conv down-samples (and crops) for it with its pool stage, as nncase does.
 */
final class StrideDeferral {
    private StrideDeferral() {
    }

    static boolean deferrable(LoweringContext ctx, Layer l) {
        String c = ctx.soleConsumer(l.id());
        return c != null && ctx.g.layer(c).params() instanceof Conv2D pw && pw.kernelH() == 1 && pw.kernelW() == 1
                && pw.strideH() == 1 && pw.strideW() == 1 && KpuConvSuitability.reason(ctx, ctx.g.layer(c)) == null;
    }
}
