package k210studio.ir.rules;

import java.util.ArrayList;
import java.util.List;
import k210studio.ir.graph.StaticRange;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Verdicts for layers outside a KPU group (M1–M6, standalone K8/K9). V3 can only use the
 * layer types of kmodel V3 ({@code kmodel-v3.md} §3; nncase 0.1 README "Supported layers");
 * V4 runs the neutral ops of nncase 0.2 in software ({@code kmodel-v4.md} §13).
 */
final class LayerRules {

    static final class Result {
        final List<RuleHit> v3 = new ArrayList<>();
        final List<RuleHit> v4 = new ArrayList<>();
        final List<Fix> fixes = new ArrayList<>();
        /** The layer runs on the KPU through nncase's 4×4 padding trick (M1), per target. */
        boolean denseOnKpuV3;
        boolean denseOnKpuV4;

        void both(Rule r, Verdict v, String reason) {
            v3.add(new RuleHit(r, v, reason));
            v4.add(new RuleHit(r, v, reason));
        }

        void each(Rule r, Verdict v3v, String v3r, Verdict v4v, String v4r) {
            v3.add(new RuleHit(r, v3v, v3r));
            v4.add(new RuleHit(r, v4v, v4r));
        }
    }

    private LayerRules() {
    }

    static Result check(CheckContext ctx, String id, KpuGrouper.Grouping grouping) {
        Result r = new Result();
        LayerParams p = ctx.params(id);
        TensorShape in = ctx.inputShape(id);
        if (p instanceof Input) {
            boolean allKpu = !ctx.consumers.get(id).isEmpty();
            for (String c : ctx.consumers.get(id)) {
                KpuGroup g = grouping.byLayer().get(c);
                allKpu &= g != null && g.layerIds().get(0).equals(c);
            }
            TensorShape s = ctx.shape(id);
            if (allKpu) {
                r.both(Rule.IO, Verdict.KPU, "model input " + s + " (H×W×C): uint8 planar RGB uploaded to KPU RAM for the first KPU layer"
                        + (s != null && s.isImage() && s.w() % 64 != 0 ? " (uploads are fastest when the width is a multiple of 64)" : ""));
            } else {
                r.both(Rule.IO, Verdict.CPU, "model input " + s + ": read by a CPU layer, kept in main RAM");
            }
        } else if (p instanceof ZeroPadding2D z) {
            r.each(Rule.M6, Verdict.UNSUPPORTED, "ZeroPadding2D not directly before a 'valid' conv that alone reads it: kmodel V3 has no padding layer "
                            + "(nncase 0.1 only folds it into that conv) — connect it straight to a 'valid' 3×3 conv",
                    Verdict.CPU, "ZeroPadding2D not folded into a conv: nncase 0.2 runs a Pad on the CPU");
        } else if (p instanceof BatchNormalization) {
            r.each(Rule.M3, Verdict.UNSUPPORTED, "BatchNormalization not right after a conv (as its sole consumer): the KPU folds BN only into the conv before it, "
                            + "and kmodel V3 has no BN layer — move it directly after a Conv2D/DepthwiseConv2D",
                    Verdict.CPU, "BatchNormalization not right after a conv: nncase 0.2 runs it as a multiply-add on the CPU");
        } else if (p instanceof PReLU) {
            r.each(Rule.K8, Verdict.UNSUPPORTED, "PReLU has a learned slope per channel, which the KPU's one activation table per layer cannot express; "
                            + "nncase 0.1 has no PReLU layer",
                    Verdict.CPU, "PReLU has a learned slope per channel, which the KPU's activation table cannot express: it runs on the CPU "
                            + "(as max/min/multiply/add ops; nncase 0.2's own TFLite importer has no PRELU)");
            r.fixes.add(FixFactory.preluToLeaky(ctx, id));
            r.fixes.add(FixFactory.replace(ctx, id, Rule.K8, ReLU.plain(), true, "Replace " + ctx.layer(id).name() + " by ReLU",
                    "retrain: negative values become 0 instead of being scaled by the learned slopes"));
        } else if (p instanceof Activation a && !a.fn().isElementwise()) {
            r.both(Rule.M4, Verdict.CPU, "softmax runs on the CPU (V3 SOFTMAX layer / V4 reduce-exp-divide, in float)");
        } else if (Activations.isActivationLayer(p)) {
            standaloneActivation(ctx, id, p, r);
        } else if (p instanceof MaxPooling2D || p instanceof AveragePooling2D) {
            RuleHit why = grouping.poolRejections().get(id);
            String reason = why != null ? why.reason()
                    : p.kerasName() + " not right after a conv (as its sole consumer): it runs on the CPU";
            Rule rule = why != null ? why.rule() : Rule.K9;
            r.each(rule, Verdict.CPU, reason + (p instanceof MaxPooling2D ? " (V3 QUANTIZED_MAX_POOL2D)" : " (V3 AVERAGE_POOL2D, float)"),
                    Verdict.CPU, reason + " (V4 reduce_window2d)");
        } else if (p instanceof GlobalAveragePooling2D) {
            r.both(Rule.M4, Verdict.CPU, "global average pooling runs on the CPU (V3 GLOBAL_AVERAGE_POOL2D / V4 reduce mean, float)");
        } else if (p instanceof GlobalMaxPooling2D) {
            r.each(Rule.M6, Verdict.UNSUPPORTED, "GlobalMaxPooling2D: kmodel V3 has no global max pool layer — use GlobalAveragePooling2D",
                    Verdict.CPU, "global max pooling runs on the CPU (V4 reduce max)");
            r.fixes.add(FixFactory.replace(ctx, id, Rule.M6, new GlobalAveragePooling2D(((GlobalMaxPooling2D) p).keepDims()), false,
                    "Replace " + ctx.layer(id).name() + " by GlobalAveragePooling2D", "retrain: the layer now averages each channel instead of taking its maximum"));
        } else if (p instanceof Dense d) {
            dense(ctx, id, d, in, r);
        } else if (p instanceof Flatten) {
            r.both(Rule.M4, Verdict.CPU, "Flatten runs on the CPU (V3 TENSORFLOW_FLATTEN / V4 reshape): reorders the KPU's channel-major output to TF's H×W×C order");
        } else if (p instanceof Reshape rs) {
            if (rs.dynamic()) {
                r.both(Rule.M5, Verdict.UNSUPPORTED, "dynamic Reshape (its target is computed at run time: SHAPE → STRIDED_SLICE → PACK → RESHAPE, typical of TF2): "
                        + "nncase fails with \"Layer PACK is not supported\" — make it a static Reshape");
                Fix f = FixFactory.staticReshape(ctx, id);
                if (f != null) {
                    r.fixes.add(f);
                }
            } else {
                r.both(Rule.M4, Verdict.CPU, "static Reshape runs on the CPU (a copy; often removed by the converter)");
            }
        } else if (p instanceof Dropout) {
            r.both(Rule.M4, Verdict.CPU, "Dropout does nothing at inference: the converter drops it, nothing runs");
        } else if (p instanceof Add) {
            r.both(Rule.M4, Verdict.CPU, "Add runs on the CPU (the KPU cannot add two maps; V3 QUANTIZED_ADD / V4 quantized binary)");
        } else if (p instanceof Subtract) {
            r.each(Rule.M6, Verdict.UNSUPPORTED, "Subtract: kmodel V3 has no subtract layer",
                    Verdict.CPU, "Subtract runs on the CPU (V4 binary sub)");
        } else if (p instanceof Multiply) {
            r.each(Rule.M6, Verdict.UNSUPPORTED, "Multiply: kmodel V3 has no multiply layer",
                    Verdict.CPU, "Multiply runs on the CPU (V4 binary mul)");
        } else if (p instanceof Concatenate c) {
            boolean channels = in != null && (c.axis() == -1 || c.axis() == in.rank());
            if (channels) {
                r.both(Rule.M4, Verdict.CPU, "Concatenate (channels) runs on the CPU (a memory copy; V3 CONCAT/QUANTIZED_CONCAT)");
            } else {
                r.each(Rule.M6, Verdict.UNSUPPORTED, "Concatenate on axis " + c.axis() + ": kmodel V3 only concatenates channels",
                        Verdict.CPU, "Concatenate on axis " + c.axis() + " runs on the CPU (V4 concat)");
            }
        } else if (p instanceof UpSampling2D u) {
            if (u.interpolation() == Interpolation.NEAREST) {
                r.both(Rule.M4, Verdict.CPU, "UpSampling2D nearest runs on the CPU (V3 RESIZE_NEAREST_NEIGHBOR / V4 resize_image)");
            } else {
                r.each(Rule.M6, Verdict.UNSUPPORTED, "UpSampling2D bilinear: kmodel V3 only resizes nearest-neighbour — use interpolation='nearest'",
                        Verdict.CPU, "UpSampling2D bilinear runs on the CPU (V4 resize_image bilinear)");
                r.fixes.add(FixFactory.replace(ctx, id, Rule.M6, new UpSampling2D(u.sizeH(), u.sizeW(), Interpolation.NEAREST), false,
                        "Set " + ctx.layer(id).name() + " to interpolation='nearest'", "retrain or check the accuracy: nearest-neighbour upsampling repeats pixels instead of blending them"));
            }
        } else if (p instanceof Resizing z) {
            String flags = z.halfPixelCenters() ? " (nncase ignores half_pixel_centers: sampling shifts by half a pixel)" : "";
            if (z.interpolation() == Interpolation.NEAREST) {
                r.each(Rule.M4, Verdict.CPU, "resize nearest to " + z.height() + "×" + z.width() + " runs on the CPU (V3 RESIZE_NEAREST_NEIGHBOR"
                                + (z.alignCorners() ? "; nncase 0.1 has no align_corners" : "") + ")" + flags,
                        Verdict.CPU, "resize nearest to " + z.height() + "×" + z.width() + " runs on the CPU (V4 resize_image)" + flags);
            } else {
                r.fixes.add(FixFactory.replace(ctx, id, Rule.M6, new Resizing(z.height(), z.width(), Interpolation.NEAREST, false, false), false,
                        "Set " + ctx.layer(id).name() + " to nearest-neighbour", "check the accuracy: nearest-neighbour resizing repeats pixels instead of blending them"));
                r.each(Rule.M6, Verdict.UNSUPPORTED, "bilinear resize: kmodel V3 only resizes nearest-neighbour — use nearest",
                        Verdict.CPU, "bilinear resize to " + z.height() + "×" + z.width() + " runs on the CPU (V4 resize_image bilinear)" + flags);
            }
        } else if (p instanceof Softmax) {
            r.both(Rule.M4, Verdict.CPU, "Softmax runs on the CPU (V3 SOFTMAX / V4 reduce-exp-divide, in float)");
        } else if (p instanceof Conv2DTranspose) {
            r.each(Rule.M2, Verdict.UNSUPPORTED, "Conv2DTranspose: nncase 0.1 has no transposed conv — use UpSampling2D (nearest) + Conv2D",
                    Verdict.KPU_CPU, "Conv2DTranspose: nncase 0.2 runs it as SpaceToBatch on the CPU + a KPU conv + BatchToSpace");
        } else if (ConvSpec.of(p) != null) {
            // a conv with several inputs or not connected: the shape rules report it
            r.both(Rule.G1, Verdict.UNSUPPORTED, p.kerasName() + " must have exactly one input");
        } else {
            r.both(Rule.M6, Verdict.UNSUPPORTED, p.kerasName() + " is not in the converters' operator lists");
        }
        return r;
    }

    private static void standaloneActivation(CheckContext ctx, String id, LayerParams p, Result r) {
        ActivationFn fn = Activations.of(p);
        String name = Activations.name(p);
        String producer = ctx.producer(id);
        StaticRange noOp = producer == null || fn == null || fn.isLinear() ? null : StaticRange.makesIdentity(fn, ctx.graph, producer);
        if (noOp != null) {
            String why = "activation " + name + " does nothing here: its input is already in " + interval(noOp) + " (set by "
                    + ctx.layer(noOp.source()).name() + "), so the compiler removes it";
            r.both(Rule.M3, Verdict.CPU, why);
            r.fixes.add(new Fix(id, Rule.M3, "Remove " + ctx.layer(id).name() + ": its input is already in " + interval(noOp)
                    + " (set by " + ctx.layer(noOp.source()).name() + ")", null, new k210studio.ir.edit.RemoveLayerCommand(id, true)));
            return;
        }
        String after = "not fused into a conv (it is not the sole consumer of a conv/BN, or that conv already has an activation)";
        r.v4.add(new RuleHit(Rule.M3, Verdict.CPU, "activation " + name + " " + after + ": nncase 0.2 runs it on the CPU (a 256-entry table lookup)"));
        if (fn != null && fn.kind() == ActivationFn.Kind.LINEAR) {
            r.v3.add(new RuleHit(Rule.M3, Verdict.CPU, "linear activation does nothing: dropped by the converter"));
        } else if (fn != null && fn.kind() == ActivationFn.Kind.SIGMOID) {
            r.v3.add(new RuleHit(Rule.M3, Verdict.CPU, "sigmoid " + after + ": runs on the CPU (V3 LOGISTIC, float)"));
        } else if (fn != null && (fn.kind() == ActivationFn.Kind.RELU || fn.kind() == ActivationFn.Kind.RELU6) && followsDense(ctx, id)) {
            r.v3.add(new RuleHit(Rule.M3, Verdict.CPU, name + " fused into the CPU FULLY_CONNECTED before it"));
        } else {
            r.v3.add(new RuleHit(Rule.M3, Verdict.UNSUPPORTED, "activation " + name + " " + after
                    + ": kmodel V3 has no standalone layer for it — put it directly after a conv (or BN after a conv)"));
        }
    }

    private static String interval(StaticRange r) {
        return "[" + fmt(r.lo()) + ", " + (Float.isInfinite(r.hi()) ? "∞" : fmt(r.hi())) + (Float.isInfinite(r.hi()) ? ")" : "]");
    }

    private static String fmt(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }

    private static boolean followsDense(CheckContext ctx, String id) {
        String p = ctx.producer(id);
        return p != null && ctx.params(p) instanceof Dense d && d.activation().isLinear() && id.equals(ctx.soleConsumer(p));
    }

    /** M1: nncase pads a fully connected layer's input to 4×4 and runs it as a 1×1 KPU conv when it can. */
    private static void dense(CheckContext ctx, String id, Dense d, TensorShape in, Result r) {
        if (in == null) {
            r.both(Rule.G1, Verdict.UNSUPPORTED, "input shape unknown");
            return;
        }
        int nin = in.c();
        int nout = d.units();
        String size = nin + " → " + nout;
        // V3 (rc5 K210FullyConnectedTransform): both sizes ≤ 1024
        if (nin <= 1024 && nout <= 1024) {
            r.v3.add(new RuleHit(Rule.M1, Verdict.KPU_CPU, "Dense " + size + ": nncase 0.1 pads the input to 4×4 (K210_ADD_PADDING), runs a 1×1 KPU conv and "
                    + "keeps one pixel (K210_REMOVE_PADDING)"));
            r.denseOnKpuV3 = true;
        } else {
            r.v3.add(new RuleHit(Rule.M1, Verdict.CPU, "Dense " + size + ": more than 1024 inputs or outputs, so it runs as a float FULLY_CONNECTED on the CPU"
                    + " (" + (4L * nin * nout / 1024) + " KiB of float weights)"));
        }
        // V4 (beta4 matmul_to_fake_kpu_conv2d): ≥ 1024 weights, both dims ≤ 1024, weight range ≤ 64
        float range = range(ctx.layer(id).weight("kernel"));
        long weights = (long) nin * nout;
        if (nin <= 1024 && nout <= 1024 && weights >= 1024 && range <= KpuGroupRules.WEIGHTS_QUANTIZE_THRESHOLD) {
            r.v4.add(new RuleHit(Rule.M1, Verdict.KPU_CPU, "Dense " + size + ": nncase 0.2 pads the input to 4×4, runs a 1×1 KPU conv and crops back to 1×1"));
            r.denseOnKpuV4 = true;
        } else {
            String why = nin > 1024 || nout > 1024 ? "more than 1024 inputs or outputs"
                    : weights < 1024 ? "fewer than 1024 weights (--output-quantize-threshold)"
                    : "the weights span " + range + " > 64 (--weights-quantize-threshold)";
            r.v4.add(new RuleHit(Rule.M1, Verdict.CPU, "Dense " + size + ": " + why + ", so nncase 0.2 runs a matmul on the CPU"));
        }
        ActivationFn a = d.activation();
        if (!a.isLinear() && a.kind() != ActivationFn.Kind.RELU && a.kind() != ActivationFn.Kind.RELU6
                && a.kind() != ActivationFn.Kind.SOFTMAX && a.kind() != ActivationFn.Kind.SIGMOID) {
            r.v3.add(new RuleHit(Rule.M3, Verdict.UNSUPPORTED, "activation '" + a + "' after a Dense: kmodel V3 has no layer for it (use relu, relu6, sigmoid or softmax)"));
        }
    }

    private static float range(Tensor t) {
        if (t == null || t.size() == 0) {
            return 0f;
        }
        float[] r = KpuGroupRules.channelRanges(t.data(), 1);
        return Math.max(r[1], 0f) - Math.min(r[0], 0f);
    }
}
