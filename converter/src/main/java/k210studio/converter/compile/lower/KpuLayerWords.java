package k210studio.converter.compile.lower;

import java.util.Locale;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.KpuConvPlan;
import k210studio.converter.quant.KpuActivationTable;
import k210studio.converter.quant.KpuBatchNorm;
import k210studio.converter.quant.KpuWeights;
import k210studio.converter.quant.QuantParam;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.tensor.Tensor;

/** The parts of a KPU layer that convs and Dense-on-KPU share: BN and activation-table words, weight-load limits, bias. */
final class KpuLayerWords {
    private KpuLayerWords() {
    }

    /**
     * The BN words and activation-table words of a KPU layer, by the target's nncase rules (kpu-arith.md §4.5–4.6):
     * V3 scales BN to 1024 × the output's quantized value and uses rc5's fixed tables; V4 fits a table between the
     * pre-activation range and the output range (they are one for linear/ReLU/ReLU6, which are clamps).
     */
    static long[][] bnAndActivation(LoweringContext ctx, Layer l, QuantParam inQ, KpuWeights qw, float[] bias, ActivationFn act,
                                    QuantParam outQ) {
        if (ctx.v3()) {
            KpuBatchNorm bn = KpuBatchNorm.v3(inQ.scale(), qw.param().scale(), outQ, qw.equalization(), bias);
            KpuActivationTable t = act.kind() == ActivationFn.Kind.LEAKY_RELU ? KpuActivationTable.v3Leaky(act.alpha(), outQ.zeroPoint())
                    : KpuActivationTable.v3Linear();
            return new long[][] {bn.words(), t.words()};
        }
        boolean clampOnly = act.kind() == ActivationFn.Kind.LINEAR || act.kind() == ActivationFn.Kind.RELU
                || act.kind() == ActivationFn.Kind.RELU6;
        QuantParam yq = clampOnly ? outQ : QuantParam.v4(ctx.cal.beforeActivation(l.id()));
        KpuBatchNorm bn = KpuBatchNorm.v4((float) inQ.scale(), (float) qw.param().scale(), (float) yq.scale(), qw.equalization(), bias);
        float lo = act.kind() == ActivationFn.Kind.RELU || act.kind() == ActivationFn.Kind.RELU6 ? 0f : Float.NEGATIVE_INFINITY;
        float hi = act.kind() == ActivationFn.Kind.RELU6 ? 6f : Float.POSITIVE_INFINITY;
        KpuActivationTable t = KpuActivationTable.v4Fitted(yq, outQ, lo, hi, clampOnly ? v -> v : ActivationFunctions.of(act), bn.sAct());
        return new long[][] {bn.words(), t.words()};
    }

    /** The KPU streams weights in at most 64 loads (6-bit load_time) of at most one load's worth of output channels. */
    static void checkWeightLoads(Layer l, KpuConvPlan plan) throws CompileException {
        if (plan.loads() > 64 || plan.paraSize() >= (1 << 17)) {
            throw new CompileException(String.format(Locale.ROOT, "%s: its %,d weight bytes need %d weight loads of at most "
                    + "%,d B, but the KPU takes at most 64 weight loads per layer. Fix: fewer input or output channels (split the "
                    + "layer), or a 1×1 kernel.", l.name(), plan.weightBytes(), plan.loads(), plan.loadLimitBytes()), l.name());
        }
    }

    /** The layer's bias (zeros without one). */
    static float[] biasOf(Layer l, int n) {
        Tensor b = l.weight("bias");
        float[] out = new float[n];
        if (b != null) {
            System.arraycopy(b.data(), 0, out, 0, n);
        }
        return out;
    }

    /** The layer's weight tensor, or a message that it has none. */
    static Tensor weight(Layer l, String key) throws CompileException {
        Tensor kernel = l.weight(key);
        if (kernel == null) {
            throw new CompileException(l.name() + " has no weights (set or import them before compiling)", l.name());
        }
        return kernel;
    }
}
