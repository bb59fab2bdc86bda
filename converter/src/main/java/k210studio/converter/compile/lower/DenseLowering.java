package k210studio.converter.compile.lower;

import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.KpuConvPlan;
import k210studio.converter.compile.PlanStep;
import k210studio.converter.compile.PlannedValue;
import k210studio.converter.compile.Storage;
import k210studio.converter.quant.KpuConvOffsets;
import k210studio.converter.quant.KpuWeights;
import k210studio.converter.quant.QuantParam;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Dense;
import k210studio.ir.tensor.Tensor;

/**
 * Emits a Dense layer: on the KPU when {@link DenseOnKpu} chose it (quantize → 4×4 map → 1×1 conv → pixel (0, 0)),
 * else as a float32 fully-connected CPU layer, with a separate softmax/sigmoid when its activation needs one.
 */
final class DenseLowering {
    private final LoweringContext ctx;
    private final LoweringPlan plan;
    private final ProgramBuilder b;

    DenseLowering(LoweringContext ctx, LoweringPlan plan, ProgramBuilder b) {
        this.ctx = ctx;
        this.plan = plan;
        this.b = b;
    }

    void lower(Layer l, Dense d) throws CompileException {
        Tensor kernel = KpuLayerWords.weight(l, "kernel");
        PlannedValue inF = b.asFloat(b.producer(l, 0));
        if (inF.h() != 1 || inF.w() != 1) {
            throw ctx.unsupported(l, "Dense on a " + inF.h() + "×" + inF.w() + " feature map", "add a Flatten before it");
        }
        int inC = inF.c();
        int outC = d.units();
        float[] wOi = new float[outC * inC];
        float[] src = kernel.data();
        for (int i = 0; i < inC; i++) {
            for (int o = 0; o < outC; o++) {
                wOi[o * inC + i] = src[i * outC + o];
            }
        }
        float[] bias = KpuLayerWords.biasOf(l, outC);
        if (!plan.kpuDense().contains(l.id())) {
            lowerOnCpu(l, d.activation(), inF, wOi, bias, outC);
            return;
        }
        String inId = b.producer(l, 0);
        QuantParam inQ = QuantParam.of(ctx.cal.output(inId), ctx.rules);
        PlannedValue inU8 = b.held(inId, Storage.MAIN_U8);
        if (inU8 == null || !sameQuant(inU8.quant(), inQ)) {
            inU8 = new PlannedValue(l.name() + ":in_q", Storage.MAIN_U8, inC, 1, 1, inQ);
            b.add(new PlanStep.Quantize(l.name(), inF, inU8));
        }
        PlannedValue padded = new PlannedValue(l.name() + ":in4x4", Storage.KPU, inC, 4, 4, inU8.quant());
        if (ctx.v3()) {
            b.add(new PlanStep.AddPadding(l.name(), inU8, padded));
        } else {
            PlannedValue mainPadded = new PlannedValue(l.name() + ":in4x4:main", Storage.MAIN_U8, inC, 4, 4, inU8.quant());
            b.add(new PlanStep.PadU8(l.name(), inU8, mainPadded, 0, 3, 0, 3));
            b.add(new PlanStep.Upload(l.name(), mainPadded, padded));
        }
        KpuWeights qw = KpuWeights.quantize(wOi, outC, ctx.opt.weightBits(), ctx.rules);
        QuantParam outQ = QuantParam.of(ctx.cal.output(l.id()), ctx.rules);
        long[][] bnAct = KpuLayerWords.bnAndActivation(ctx, l, inU8.quant(), qw, bias, d.activation(), outQ);
        KpuConvOffsets offsets = KpuConvOffsets.of(1, inU8.quant(), qw.param(), ctx.rules);
        PlannedValue kpuOut = new PlannedValue(l.name() + ":out4x4", Storage.KPU, outC, 4, 4, outQ);
        PlannedValue mainOut = new PlannedValue(l.name() + ":out4x4:main", Storage.MAIN_U8, outC, 4, 4, outQ);
        KpuConvPlan densePlan = new KpuConvPlan(l.name(), padded, kpuOut, mainOut, 1, false, 0, qw.q(), ctx.opt.weightBits(), offsets,
                bnAct[0], bnAct[1]);
        KpuLayerWords.checkWeightLoads(l, densePlan);
        b.add(new PlanStep.KpuConv(l.name(), densePlan));
        PlannedValue result = new PlannedValue(l.name(), Storage.MAIN_U8, outC, 1, 1, outQ);
        if (ctx.v3()) {
            b.add(new PlanStep.RemovePadding(l.name(), mainOut, result));
        } else {
            b.add(new PlanStep.PadU8(l.name(), mainOut, result, 0, -3, 0, -3));
        }
        b.put(l.id(), result);
    }

    private void lowerOnCpu(Layer l, ActivationFn act, PlannedValue inF, float[] wOi, float[] bias, int outC) throws CompileException {
        if (act.kind() != ActivationFn.Kind.LINEAR && act.kind() != ActivationFn.Kind.RELU && act.kind() != ActivationFn.Kind.RELU6) {
            PlannedValue pre = new PlannedValue(l.name() + ":pre", Storage.MAIN_F32, outC, 1, 1, null);
            b.add(new PlanStep.FullyConnected(l.name(), inF, pre, wOi, bias, ActivationFn.LINEAR));
            b.put(l.id(), pre);
            lowerActivationAfter(l, act, pre);
            return;
        }
        PlannedValue out = b.floatValue(l, outC, 1, 1);
        b.add(new PlanStep.FullyConnected(l.name(), inF, out, wOi, bias, act));
        b.put(l.id(), out);
    }

    private void lowerActivationAfter(Layer l, ActivationFn act, PlannedValue in) throws CompileException {
        if (act.kind() == ActivationFn.Kind.SOFTMAX) {
            PlannedValue out = b.floatValue(l, in.c(), 1, 1);
            b.add(new PlanStep.Softmax(l.name(), in, out));
            b.put(l.id(), out);
        } else if (act.kind() == ActivationFn.Kind.SIGMOID) {
            PlannedValue out = b.floatValue(l, in.c(), in.h(), in.w());
            b.add(new PlanStep.Logistic(l.name(), in, out));
            b.put(l.id(), out);
        } else {
            throw ctx.unsupported(l, "activation " + act + " after a CPU layer", "use linear, relu, relu6, sigmoid or softmax here");
        }
    }

    private static boolean sameQuant(QuantParam a, QuantParam b) {
        return a.zeroPoint() == b.zeroPoint() && Math.abs(a.scale() - b.scale()) <= 1e-6 * Math.abs(b.scale());
    }
}
