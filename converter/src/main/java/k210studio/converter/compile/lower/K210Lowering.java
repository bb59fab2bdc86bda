package k210studio.converter.compile.lower;

import k210studio.converter.compile.Calibration;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Program;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Input;

/**
 * Lowers a prepared float graph ({@code GraphPreparer}) with its calibration to K210 steps, the way nncase does.
 * Three decision passes run over the whole graph first — {@link PaddingMapping} (TensorFlow padding/stride onto the
 * KPU, with V3's {@link OddGridPick}, V4's {@link StridedSliceFallback} and {@link StrideDeferral}), {@link PoolFusion}
 * and {@link DenseOnKpu} — then one emission walk in execution order: {@link InputLowering}, {@link KpuConvLowering}
 * ([ZeroPadding2D] → conv → activation → [pool] as one KPU layer), V4's {@link CpuConvLowering} for kernels the KPU
 * cannot run, {@link DenseLowering} and {@link CpuFallback} for everything else; {@link ProgramBuilder} moves values between KPU RAM and main memory. Anything the target cannot run
 * stops the compile with the layer named.
 */
public final class K210Lowering {
    private K210Lowering() {
    }

    public static K210Program lower(Graph prepared, Calibration cal, CompileOptions opt) throws CompileException {
        LoweringContext ctx = new LoweringContext(prepared, cal, opt);
        if (!ctx.shapes.ok()) {
            String id = ctx.shapes.errors().keySet().iterator().next();
            throw new CompileException(prepared.layer(id).name() + ": " + ctx.shapes.error(id), prepared.layer(id).name());
        }
        if (prepared.inputIds().size() != 1) {
            throw new CompileException("a kmodel has exactly one input; this network has " + prepared.inputIds().size(), null);
        }
        ConvMappings convs = PaddingMapping.run(ctx);
        LoweringPlan plan = new LoweringPlan(convs, PoolFusion.run(ctx, convs), DenseOnKpu.run(ctx));

        ProgramBuilder b = new ProgramBuilder(ctx);
        KpuConvLowering kpuConv = new KpuConvLowering(ctx, plan, b);
        DenseLowering dense = new DenseLowering(ctx, plan, b);
        CpuFallback cpu = new CpuFallback(ctx, b);
        CpuConvLowering cpuConv = new CpuConvLowering(ctx, b);
        for (String id : prepared.topologicalOrder()) {
            if (plan.absorbed(id)) {
                continue;
            }
            Layer l = prepared.layer(id);
            if (l.params() instanceof Input in) {
                InputLowering.lower(ctx, plan, b, l, in);
            } else if (KpuConvSuitability.isConv(l) && CpuConvLowering.takes(ctx, l)) {
                cpuConv.lower(l);
            } else if (KpuConvSuitability.isConv(l)) {
                kpuConv.lower(l);
            } else if (l.params() instanceof Dense d) {
                dense.lower(l, d);
            } else {
                cpu.lower(l);
            }
        }
        return b.build();
    }
}
