package k210studio.converter.compile.lower;

import java.util.Arrays;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.KpuAxisPlan;
import k210studio.converter.compile.KpuConvPlan;
import k210studio.converter.compile.PlanStep;
import k210studio.converter.compile.PlannedValue;
import k210studio.converter.compile.Storage;
import k210studio.converter.quant.KpuActivationTable;
import k210studio.converter.quant.KpuBatchNorm;
import k210studio.converter.quant.KpuConvOffsets;
import k210studio.converter.quant.KpuWeights;
import k210studio.converter.quant.QuantParam;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.quant.ValueRange;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Emits a convolution as one KPU layer the way the plan says: [CPU pad + upload] → conv + BN + activation → [pool]
 * → [main-memory output, CPU crop, V4 strided slice, V3 odd-grid pick, V3 CPU sigmoid], with its weights quantized.
 */
final class KpuConvLowering {
    private final LoweringContext ctx;
    private final LoweringPlan plan;
    private final ProgramBuilder b;

    KpuConvLowering(LoweringContext ctx, LoweringPlan plan, ProgramBuilder b) {
        this.ctx = ctx;
        this.plan = plan;
        this.b = b;
    }

    void lower(Layer l) throws CompileException {
        ConvMappings convs = plan.convs();
        String why = convs.reason(l.id());
        if (why == null && convs.mapping(l.id()) == null) {
            why = PaddingMapping.geometryReason(ctx, l, convs.spec(l.id()));
        }
        if (why != null) {
            throw ctx.unsupported(l, "this convolution cannot run on the KPU: " + why,
                    ctx.v3() ? "apply the studio's fix for it, or compile for V4" : "apply the studio's fix for it");
        }
        ConvSpec spec = convs.spec(l.id());
        ConvMapping map = convs.mapping(l.id());
        if (map.shiftSelect()) {
            b.note(l.name() + ": TensorFlow samples this stride-2 conv on odd rows/columns, which the KPU cannot pick; it runs "
                    + "at stride 1 and a shifted re-upload plus a 1×1 KPU layer pick the odd ones (exact, costs time and memory). "
                    + "ZeroPadding2D((1,1),(1,1)) + 'valid' avoids it.");
        }
        boolean depthwise = spec.depthwise();
        int k = spec.k();
        ActivationFn act = spec.act();
        ConvMapping producer = convs.mapping(spec.inputId());
        ConvMapping pending = producer != null && producer.deferStride() ? producer : null;

        PlannedValue in = kpuInput(l, spec, map);

        // down-sampling: the conv's own stride, a stride deferred from the depthwise conv before, or a fused pool
        int poolType = 0;
        String lastId = l.id();
        KpuAxisPlan cropRows = null;
        KpuAxisPlan cropCols = null;
        int outH;
        int outW;
        if (map.deferStride() || map.shiftSelect()) {
            outH = in.h();
            outW = in.w();
        } else if (pending != null) {
            poolType = pending.cols().oddSelect() ? 6 : 5;
            cropRows = pending.rows();
            cropCols = pending.cols();
            outH = pending.rows().kpuOut();
            outW = pending.cols().kpuOut();
        } else if (map.sliceStride()) {
            outH = map.rows().kpuOut();
            outW = map.cols().kpuOut();
        } else if (spec.stride() == 2) {
            poolType = map.cols().oddSelect() ? 6 : 5;
            cropRows = map.rows();
            cropCols = map.cols();
            outH = map.rows().kpuOut();
            outW = map.cols().kpuOut();
        } else {
            outH = map.rows().kpuOut();
            outW = map.cols().kpuOut();
            cropRows = map.rows();
            cropCols = map.cols();
            FusedPool fused = plan.fusedPools().get(l.id());
            if (fused != null) {
                poolType = fused.poolType();
                lastId = fused.poolId();
                TensorShape po = ctx.shapes.shape(lastId);
                outH = po.h();
                outW = po.w();
            }
        }
        boolean crops = cropRows != null && (cropRows.cropBefore() + cropRows.cropAfter() + cropCols.cropBefore()
                + cropCols.cropAfter() > 0);
        int outC = spec.out().c();

        // quantization
        Tensor kernel = KpuLayerWords.weight(l, depthwise ? "depthwise_kernel" : "kernel");
        int inC = in.c();
        float[] w = depthwise ? depthwiseToCkk(kernel, k) : hwioToOihw(kernel, k, inC, outC);
        float[] bias = KpuLayerWords.biasOf(l, outC);
        KpuWeights qw = KpuWeights.quantize(w, outC, ctx.opt.weightBits(), ctx.rules);
        boolean sigmoidOnCpu = act.kind() == ActivationFn.Kind.SIGMOID && ctx.v3();
        ValueRange outRange = sigmoidOnCpu ? ctx.cal.beforeActivation(l.id()) : ctx.cal.output(l.id());
        QuantParam outQ = QuantParam.of(outRange, ctx.rules);
        long[][] bnAct = KpuLayerWords.bnAndActivation(ctx, l, in.quant(), qw, bias, act, outQ);
        KpuConvOffsets offsets = KpuConvOffsets.of(k, in.quant(), qw.param(), ctx.rules);
        String outName = ctx.g.layer(lastId).name();
        String suffix = crops ? ":uncropped" : map.sliceStride() ? ":stride1" : "";
        PlannedValue kpuOut = new PlannedValue(outName + suffix, Storage.KPU, outC, outH, outW, outQ);
        boolean needsMain = sigmoidOnCpu || crops || map.shiftSelect() || map.sliceStride() || ctx.g.outputIds().contains(lastId)
                || anyConsumerNeedsMain(lastId);
        PlannedValue mainOut = needsMain
                ? new PlannedValue(outName + suffix + ":main", Storage.MAIN_U8, outC, outH, outW, outQ) : null;
        KpuConvPlan conv = new KpuConvPlan(l.name(), in, kpuOut, mainOut, k, depthwise, poolType, qw.q(), ctx.opt.weightBits(),
                offsets, bnAct[0], bnAct[1]);
        KpuLayerWords.checkWeightLoads(l, conv);
        b.add(new PlanStep.KpuConv(l.name(), conv));
        if (map.deferStride()) {
            b.put(l.id(), kpuOut);
            return;
        }
        if (map.shiftSelect()) {
            lowerOddGridPick(l, mainOut, map, outQ, ctx.g.outputIds().contains(l.id()) || anyConsumerNeedsMain(l.id()));
            return;
        }
        if (map.sliceStride()) {
            TensorShape o = spec.out();
            PlannedValue sliced = new PlannedValue(outName, Storage.MAIN_U8, outC, o.h(), o.w(), outQ);
            b.add(new PlanStep.StridedSliceU8(l.name(), mainOut, sliced, map.rows().cropBefore(), map.cols().cropBefore(), 2));
            b.put(l.id(), sliced);
            return;
        }
        if (sigmoidOnCpu) {
            PlannedValue f = new PlannedValue(l.name() + ":pre", Storage.MAIN_F32, outC, outH, outW, null);
            b.add(new PlanStep.Dequantize(l.name(), mainOut, f));
            PlannedValue sg = b.floatValue(ctx.g.layer(lastId), outC, outH, outW);
            b.add(new PlanStep.Logistic(l.name(), f, sg));
            b.put(lastId, sg);
            if (!lastId.equals(l.id())) {
                b.put(l.id(), sg);
            }
            return;
        }
        if (crops) {
            TensorShape o = ctx.shapes.shape(lastId);
            PlannedValue cropped = new PlannedValue(outName, Storage.MAIN_U8, outC, o.h(), o.w(), outQ);
            b.add(new PlanStep.PadU8(l.name(), mainOut, cropped, -cropRows.cropBefore(), -cropRows.cropAfter(),
                    -cropCols.cropBefore(), -cropCols.cropAfter()));
            b.put(lastId, cropped);
        } else {
            b.put(lastId, kpuOut);
            if (mainOut != null) {
                b.put(lastId, mainOut);
            }
        }
        if (!lastId.equals(l.id())) {
            b.alias(l.id(), lastId);
        }
    }

    /** The KPU input: the producer's value uploaded as is, or padded on the CPU first when the mapping says so. */
    private PlannedValue kpuInput(Layer l, ConvSpec spec, ConvMapping map) throws CompileException {
        if (!map.prePads()) {
            return b.asKpu(spec.inputId());
        }
        PlannedValue src = b.asMainU8(spec.inputId());
        int ph = map.rows().padBefore() + map.rows().padAfter();
        int pw = map.cols().padBefore() + map.cols().padAfter();
        PlannedValue padded = new PlannedValue(l.name() + ":padded", Storage.MAIN_U8, src.c(), src.h() + ph, src.w() + pw, src.quant());
        b.add(new PlanStep.PadU8(l.name(), src, padded, map.rows().padBefore(), map.rows().padAfter(),
                map.cols().padBefore(), map.cols().padAfter()));
        PlannedValue in = new PlannedValue(l.name() + ":padded:kpu", Storage.KPU, padded.c(), padded.h(), padded.w(), padded.quant());
        b.add(new PlanStep.Upload(l.name(), padded, in));
        return in;
    }

    /**
     * The V3 way to pick TensorFlow's odd sampling grid ({@link OddGridPick}): the full-resolution output (in main
     * memory, with W + 1 bytes of slack) is uploaded again starting {@code shiftRows} rows and {@code shiftCols} columns
     * later, and a 1×1 KPU layer with identity weights keeps the top-left pixel of every 2×2 (pool type 5). Bit-exact:
     * with weights (2^bits − 1)·I and the input's own quantization, BN and the rc5 activation table reproduce every
     * uint8 value.
     */
    private void lowerOddGridPick(Layer l, PlannedValue full, ConvMapping map, QuantParam q, boolean needsMain) {
        int c = full.c();
        int h = full.h();
        int w = full.w();
        full.reserveSlack(w + 1);
        PlannedValue shifted = new PlannedValue(l.name() + ":shifted", Storage.KPU, c, h, w, q);
        b.add(new PlanStep.Upload(l.name(), full, shifted, map.shiftRows() * w + map.shiftCols()));
        // a V3 file has one weight width for every KPU layer (header flag), so the identity follows the model's
        int bits = ctx.opt.weightBits();
        int one = (1 << bits) - 1;
        int[] weights = new int[c * c];
        for (int i = 0; i < c; i++) {
            weights[i * c + i] = one;
        }
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        QuantParam wq = new QuantParam(one, 0, bits);
        KpuBatchNorm bn = KpuBatchNorm.v3(q.scale(), wq.scale(), q, ones, new float[c]);
        KpuConvOffsets offsets = KpuConvOffsets.of(1, q, wq, QuantRules.V3);
        PlannedValue out = new PlannedValue(l.name(), Storage.KPU, c, h / 2, w / 2, q);
        PlannedValue mainOut = needsMain ? new PlannedValue(l.name() + ":main", Storage.MAIN_U8, c, h / 2, w / 2, q) : null;
        b.add(new PlanStep.KpuConv(l.name() + " (odd-grid pick)", new KpuConvPlan(l.name() + " (odd-grid pick)", shifted, out,
                mainOut, 1, false, 5, weights, bits, offsets, bn.words(), KpuActivationTable.v3Linear().words())));
        b.put(l.id(), out);
        if (mainOut != null) {
            b.put(l.id(), mainOut);
        }
    }

    /** Whether some consumer of this KPU output reads it from main memory (a CPU layer, or a conv that pads first). */
    private boolean anyConsumerNeedsMain(String id) {
        ConvMappings convs = plan.convs();
        for (String c : ctx.g.consumersOf(id)) {
            if (ctx.g.layer(c).params() instanceof ZeroPadding2D) {
                String cc = ctx.soleConsumer(c);
                ConvMapping m = cc != null && convs.absorbsPadding(cc) ? convs.mapping(cc) : null;
                if (m != null && !m.prePads()) {
                    continue;
                }
                return true;
            }
            ConvMapping m = convs.specs().containsKey(c) ? convs.mapping(c) : null;
            if (m == null || m.prePads()) {
                return true;
            }
        }
        return false;
    }

    /** A Keras conv kernel (H, W, in, out) in the KPU's order (out, in, H, W). */
    static float[] hwioToOihw(Tensor kernel, int k, int inC, int outC) {
        float[] src = kernel.data();
        float[] dst = new float[outC * inC * k * k];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                for (int i = 0; i < inC; i++) {
                    for (int o = 0; o < outC; o++) {
                        dst[((o * inC + i) * k + ky) * k + kx] = src[((ky * k + kx) * inC + i) * outC + o];
                    }
                }
            }
        }
        return dst;
    }

    /** A Keras depthwise kernel (H, W, C, 1) in the KPU's order (C, H, W). */
    static float[] depthwiseToCkk(Tensor kernel, int k) {
        int c = kernel.dim(2);
        float[] src = kernel.data();
        float[] dst = new float[c * k * k];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                for (int ch = 0; ch < c; ch++) {
                    dst[(ch * k + ky) * k + kx] = src[(ky * k + kx) * c + ch];
                }
            }
        }
        return dst;
    }
}
