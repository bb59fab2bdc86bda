package k210studio.converter.compile.lower;

import java.util.HashMap;
import java.util.Map;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.tensor.TensorShape;

/**
 * Lowering pass 2 — pool fusion: a MaxPooling2D/AveragePooling2D that is the sole consumer of a stride-1 KPU conv
 * becomes that KPU layer's pool stage when the KPU has its window (2×2 or 4×4 at their own stride, 2×2 'same' at
 * stride 1) — the conv's stride is not already using the pool stage, and no CPU crop or sigmoid comes between.
 */
final class PoolFusion {
    private PoolFusion() {
    }

    /** Per conv id, the pool fused into its KPU layer. */
    static Map<String, FusedPool> run(LoweringContext ctx, ConvMappings convs) {
        Map<String, FusedPool> fused = new HashMap<>();
        for (Layer l : ctx.g.layers()) {
            if (!convs.onKpu(l.id())) {
                continue;
            }
            ConvSpec s = convs.spec(l.id());
            ConvMapping m = convs.mapping(l.id());
            ConvMapping producer = convs.mapping(s.inputId());
            boolean poolStageFree = !m.deferStride() && !m.shiftSelect() && !m.sliceStride() && s.stride() != 2
                    && (producer == null || !producer.deferStride());
            String c = ctx.soleConsumer(l.id());
            if (!poolStageFree || c == null || s.depthwise() || s.act().kind() == ActivationFn.Kind.SIGMOID || m.needsCpu()) {
                continue;
            }
            int type = poolType(ctx.g.layer(c), s.out());
            if (type != 0) {
                fused.put(l.id(), new FusedPool(c, type));
            }
        }
        return fused;
    }

    /** Pool type for a MaxPooling2D/AveragePooling2D the KPU can apply after a conv with this output, or 0. */
    static int poolType(Layer pool, TensorShape convOut) {
        int ph;
        int pw;
        int sh;
        int sw;
        Padding pad;
        boolean max;
        if (pool.params() instanceof MaxPooling2D m) {
            ph = m.poolH();
            pw = m.poolW();
            sh = m.strideH();
            sw = m.strideW();
            pad = m.padding();
            max = true;
        } else if (pool.params() instanceof AveragePooling2D a) {
            ph = a.poolH();
            pw = a.poolW();
            sh = a.strideH();
            sw = a.strideW();
            pad = a.padding();
            max = false;
        } else {
            return 0;
        }
        if (ph != pw || sh != sw) {
            return 0;
        }
        int h = convOut.h();
        int w = convOut.w();
        if (ph == 2 && sh == 2 && (pad == Padding.VALID || h % 2 == 0 && w % 2 == 0)) {
            return max ? 1 : 2;
        }
        if (ph == 4 && sh == 4 && (pad == Padding.VALID || h % 4 == 0 && w % 4 == 0)) {
            return max ? 3 : 4;
        }
        if (ph == 2 && sh == 1 && pad == Padding.SAME) {
            return max ? 9 : 8;
        }
        return 0;
    }
}
