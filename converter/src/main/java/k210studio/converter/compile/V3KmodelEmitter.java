package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.List;
import k210studio.converter.memory.MemoryPlan;
import k210studio.kpu.kmodel.v3.AddBody;
import k210studio.kpu.kmodel.v3.AveragePool2dBody;
import k210studio.kpu.kmodel.v3.ConcatBody;
import k210studio.kpu.kmodel.v3.DequantizeBody;
import k210studio.kpu.kmodel.v3.FullyConnectedBody;
import k210studio.kpu.kmodel.v3.GlobalAveragePool2dBody;
import k210studio.kpu.kmodel.v3.K210AddPaddingBody;
import k210studio.kpu.kmodel.v3.K210ConvBody;
import k210studio.kpu.kmodel.v3.K210RemovePaddingBody;
import k210studio.kpu.kmodel.v3.K210UploadBody;
import k210studio.kpu.kmodel.v3.LogisticBody;
import k210studio.kpu.kmodel.v3.QuantizeBody;
import k210studio.kpu.kmodel.v3.QuantizedMaxPool2dBody;
import k210studio.kpu.kmodel.v3.ResizeNearestNeighborBody;
import k210studio.kpu.kmodel.v3.SoftmaxBody;
import k210studio.kpu.kmodel.v3.TensorflowFlattenBody;
import k210studio.kpu.kmodel.v3.V3Layer;
import k210studio.kpu.kmodel.v3.V3LayerBody;
import k210studio.kpu.kmodel.v3.V3MemoryRange;
import k210studio.kpu.kmodel.v3.V3Model;
import k210studio.kpu.kmodel.v3.V3Output;
import k210studio.kpu.kmodel.v3.V3Shape;
import k210studio.ir.layer.ActivationFn;

/**
 * Turns a planned {@link K210Program} into a kmodel V3 ({@link V3Model}, written by the same writer that
 * round-trips nncase's files), following the writer checklist of kmodel-v3.md §10.
 */
public final class V3KmodelEmitter {
    private V3KmodelEmitter() {
    }

    public static V3Model emit(K210Program program, MemoryPlanner.Result memory, int weightBits) throws CompileException {
        List<V3Layer> layers = new ArrayList<>();
        for (PlanStep s : program.steps()) {
            layers.add(V3Layer.of(body(s)));
        }
        if (layers.isEmpty()) {
            throw new CompileException("the network has no layers to run", null);
        }
        List<V3Output> outputs = new ArrayList<>();
        for (PlannedValue out : program.outputs()) {
            outputs.add(new V3Output(out.address(), out.bytes()));
        }
        MemoryPlan kpu = memory.kpu();
        long maxStart = kpu.placements().isEmpty() ? 32768 : kpu.lowestAddress();
        long mainUsage = (memory.main().extent() + 7) / 8 * 8;
        return new V3Model(weightBits == 8 ? 1 : 0, maxStart, mainUsage, outputs, layers, 0);
    }

    private static V3LayerBody body(PlanStep s) throws CompileException {
        if (s instanceof PlanStep.KpuConv k) {
            KpuConvPlan p = k.plan();
            boolean main = p.mainOutput() != null;
            return new K210ConvBody(main ? K210ConvBody.MAIN_MEM_OUT : 0, main ? p.mainOutput().address() : 0,
                    KpuRegisterBuilder.build(p).toWords(), p.weightBytesLe(), p.bnWords(), p.actWords());
        }
        if (s instanceof PlanStep.Upload u) {
            return new K210UploadBody(0, u.in().address() + u.offset(), u.out().address(), u.out().w(), u.out().h(), u.out().c());
        }
        if (s instanceof PlanStep.Quantize q) {
            return new QuantizeBody(0, q.in().address(), q.out().address(), q.out().elements(),
                    (float) (1 / q.out().quant().scale()), (float) (-q.out().quant().zeroPoint() / q.out().quant().scale()));
        }
        if (s instanceof PlanStep.Dequantize d) {
            return new DequantizeBody(0, d.in().address(), d.out().address(), d.in().elements(),
                    (float) (1 / d.in().quant().scale()), (float) (-d.in().quant().zeroPoint() / d.in().quant().scale()));
        }
        if (s instanceof PlanStep.FlattenHwc f) {
            return new TensorflowFlattenBody(0, f.in().address(), f.out().address(), shape(f.in()));
        }
        if (s instanceof PlanStep.FullyConnected fc) {
            return new FullyConnectedBody(0, fc.in().address(), fc.out().address(), fc.in().elements(), fc.out().elements(),
                    activationCode(fc), fc.weights(), fc.bias());
        }
        if (s instanceof PlanStep.AddPadding a) {
            return new K210AddPaddingBody(0, a.in().address(), a.out().address(), a.in().c());
        }
        if (s instanceof PlanStep.RemovePadding r) {
            return new K210RemovePaddingBody(0, r.in().address(), r.out().address(), r.out().c());
        }
        if (s instanceof PlanStep.GlobalAveragePool gp) {
            return new GlobalAveragePool2dBody(0, gp.in().address(), gp.out().address(), (long) gp.in().h() * gp.in().w(),
                    gp.in().c());
        }
        if (s instanceof PlanStep.Softmax sm) {
            return new SoftmaxBody(0, sm.in().address(), sm.out().address(), sm.in().elements());
        }
        if (s instanceof PlanStep.Logistic lg) {
            return new LogisticBody(0, lg.in().address(), lg.out().address(), lg.in().elements());
        }
        if (s instanceof PlanStep.Add a) {
            return new AddBody(0, a.a().address(), a.b().address(), a.out().address(), a.out().elements());
        }
        if (s instanceof PlanStep.Concat c) {
            List<V3MemoryRange> ranges = new ArrayList<>();
            for (PlannedValue in : c.ins()) {
                ranges.add(new V3MemoryRange(in.address(), in.bytes()));
            }
            return new ConcatBody(0, c.out().address(), ranges);
        }
        if (s instanceof PlanStep.Pool p) {
            if (p.max()) {
                return new QuantizedMaxPool2dBody(0, p.in().address(), p.out().address(), shape(p.in()), shape(p.out()),
                        p.kernelW(), p.kernelH(), p.strideW(), p.strideH(), p.padLeft(), p.padTop());
            }
            return new AveragePool2dBody(0, p.in().address(), p.out().address(), shape(p.in()), shape(p.out()),
                    p.kernelW(), p.kernelH(), p.strideW(), p.strideH(), p.padLeft(), p.padTop(), 0);
        }
        if (s instanceof PlanStep.ResizeNearest r) {
            return new ResizeNearestNeighborBody(0, r.in().address(), r.out().address(), shape(r.in()), r.out().w(),
                    r.out().h(), 0);
        }
        throw new CompileException(s.source() + ": no kmodel V3 layer for step " + s.getClass().getSimpleName(), s.source());
    }

    private static long activationCode(PlanStep.FullyConnected fc) throws CompileException {
        ActivationFn a = fc.activation();
        switch (a.kind()) {
            case LINEAR:
                return 0;
            case RELU:
                return 1;
            case RELU6:
                return 2;
            default:
                throw new CompileException(fc.source() + ": FULLY_CONNECTED cannot apply " + a, fc.source());
        }
    }

    private static V3Shape shape(PlannedValue v) {
        return new V3Shape(v.w(), v.h(), v.c());
    }
}
