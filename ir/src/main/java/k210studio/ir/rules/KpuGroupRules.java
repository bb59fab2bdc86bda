package k210studio.ir.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.shape.ConvGeometry;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Rules K1–K10 (and nncase 0.2's weight-range fallback Q1) on one {@link KpuGroup}, checked as a
 * whole: the absorbed ZeroPadding2D counts as the KPU's padding, the absorbed activation as the
 * KPU's activation table. V3 follows nncase v0.1.0-rc5's K210 transforms (a conv the KPU cannot
 * take fails: V3 has no CPU convolution); V4 follows nncase v0.2.0-beta4 ({@code fake_kpu_conv2d}:
 * anything with kernel 1/3, dilation 1 and supported sizes becomes Pad → KPU conv → Crop → Slice;
 * the rest stays a float CPU conv).
 */
final class KpuGroupRules {

    /** Outcome for one group: hits per target, fixes, and what the memory estimate needs. */
    static final class Result {
        final List<RuleHit> v3 = new ArrayList<>();
        final List<RuleHit> v4 = new ArrayList<>();
        final List<Fix> fixes = new ArrayList<>();
        /** Extra rows/columns nncase 0.2 pads on the CPU before the KPU conv (K3 failures). */
        int prePadH;
        int prePadW;
        /** The padding is exactly what the KPU does (no pad/crop around it). */
        boolean paddingExact = true;
        /** V3 turns this 1×1 conv on a 1×1 map into a fully connected layer on the KPU (4×4 padding trick). */
        boolean fullyConnectedV3;
        /** A stride-2 depthwise conv whose stride moves to the next 1×1 conv: the KPU output stays at stride 1. */
        boolean strideMovedToNext;

        void both(Rule r, Verdict v3v, String v3Reason, Verdict v4v, String v4Reason) {
            v3.add(new RuleHit(r, v3v, v3Reason));
            v4.add(new RuleHit(r, v4v, v4Reason));
        }

        void both(Rule r, Verdict v, String reason) {
            both(r, v, reason, v, reason);
        }
    }

    /** nncase 0.2 default {@code --weights-quantize-threshold}. */
    static final float WEIGHTS_QUANTIZE_THRESHOLD = 64f;

    private KpuGroupRules() {
    }

    static Result check(CheckContext ctx, KpuGroup g, KpuGrouper.Grouping grouping) {
        Result r = new Result();
        Layer conv = ctx.layer(g.convId());
        ConvSpec s = ConvSpec.of(conv.params());
        TensorShape in = g.input();
        TensorShape convOut = ctx.shape(g.convId());
        if (in == null || convOut == null || !in.isImage() || !convOut.isImage()) {
            String err = ctx.shapes.error(g.convId());
            r.both(Rule.G1, Verdict.UNSUPPORTED, "the shapes around this conv are unknown"
                    + (err != null ? ": " + err : " (an earlier layer has a problem)"));
            return r;
        }
        int h0 = in.h();
        int w0 = in.w();
        int cin = in.c();
        int cout = convOut.c();
        String convName = conv.params().kerasName() + " " + s.kernelText();

        // K6: channels
        if (cin > 1024 || cout > 1024) {
            String what = cin + " input / " + cout + " output channels: the KPU takes 1…1024 (10-bit channel fields)";
            r.both(Rule.K6, Verdict.UNSUPPORTED, what + " — split the layer",
                    Verdict.CPU, what + "; nncase 0.2 silently keeps it as a float conv on the CPU — split the layer");
        }
        // K1: kernel size
        if (!s.kernelOk()) {
            r.both(Rule.K1, Verdict.UNSUPPORTED, "kernel " + s.kernelText() + ": the KPU only does 1×1 and 3×3, and nncase 0.1 has no CPU convolution",
                    Verdict.CPU, "kernel " + s.kernelText() + ": the KPU only does 1×1 and 3×3, so nncase 0.2 runs it as a float conv on the CPU (slow)");
            Fix f = FixFactory.splitKernel(ctx, g, s);
            if (f != null) {
                r.fixes.add(f);
            }
        }
        // K7: depth multiplier, dilation
        if (s.depthMultiplier() != 1) {
            r.both(Rule.K7, Verdict.UNSUPPORTED, "depth multiplier " + s.depthMultiplier() + ": the KPU's depthwise mode maps one channel to one channel",
                    Verdict.CPU, "depth multiplier " + s.depthMultiplier() + ": not a KPU depthwise conv, nncase 0.2 runs it on the CPU");
        }
        if (s.dilationH() != 1 || s.dilationW() != 1) {
            r.both(Rule.K7, Verdict.UNSUPPORTED, "dilation " + s.dilationH() + "×" + s.dilationW() + ": the KPU has no dilated conv and nncase 0.1 cannot rewrite it",
                    Verdict.KPU_CPU, "dilation " + s.dilationH() + "×" + s.dilationW() + ": nncase 0.2 rewrites it as space-to-batch on the CPU + a batched KPU conv + batch-to-space");
        }
        // K2: stride
        if (!s.strideOk()) {
            r.both(Rule.K2, Verdict.UNSUPPORTED, "stride " + s.strideText() + ": the KPU strides only by 1 or 2 (equal on both axes)",
                    Verdict.KPU_CPU, "stride " + s.strideText() + ": nncase 0.2 runs a stride-1 KPU conv and subsamples its output by " + s.strideText()
                            + " with a StridedSlice on the CPU (more KPU memory and time)");
        }
        // a 1×1 stride-1 conv on a 1×1 map is a fully connected layer: rc5 rewrites it
        // (Conv2d1x1ToFullyConnectedTransform) and then pads it to 4×4 for the KPU like a Dense (M1)
        boolean fcLike = s.kind() == ConvSpec.Kind.CONV && s.squareKernel(1) && s.strideH() == 1 && s.strideW() == 1
                && h0 == 1 && w0 == 1 && g.paddingId() == null;
        if (fcLike) {
            r.fullyConnectedV3 = cin <= 1024 && cout <= 1024;
            r.v3.add(new RuleHit(Rule.M1, r.fullyConnectedV3 ? Verdict.KPU_CPU : Verdict.CPU, r.fullyConnectedV3
                    ? "1×1 conv on a 1×1 map = fully connected " + cin + " → " + cout + ": nncase 0.1 pads it to 4×4 (K210_ADD_PADDING), "
                            + "runs a 1×1 KPU conv and keeps one pixel"
                    : "1×1 conv on a 1×1 map = fully connected " + cin + " → " + cout + " with more than 1024 channels: a float FULLY_CONNECTED on the CPU"));
            r.v4.add(new RuleHit(Rule.K4, Verdict.CPU, "1×1 conv on a 1×1 map: below the KPU's 4×4 input, so nncase 0.2 runs it on the CPU "
                    + "— a Dense layer (Flatten + Dense) would use nncase's 4×4 KPU trick"));
            checkActivation(ctx, g, s, r);
            return r;
        }
        // K4: input size (before the absorbed padding)
        String size = w0 + "×" + h0 + " (W×H; the shape is " + h0 + "×" + w0 + "×" + cin + " H×W×C)";
        boolean sizeOk = h0 >= 4 && w0 >= 4 && h0 <= 256 && w0 <= 512;
        if (!sizeOk) {
            String why = "input " + size + " is outside what nncase maps to the KPU (4…256 rows, 4…512 columns; the FAQ says ≤ 320×240 W×H)";
            r.both(Rule.K4, Verdict.UNSUPPORTED, why + " — stride or crop earlier",
                    Verdict.CPU, why + ": nncase 0.2 silently keeps a float conv on the CPU — stride or crop earlier");
        } else if (w0 > 320 || h0 > 240) {
            r.both(Rule.K4, Verdict.KPU, "input " + size + " is larger than the FAQ's 320×240 (W×H) but within nncase's bound (H ≤ 256, W ≤ 512); mind 240×320 (H×W) vs 320×240");
        }
        // K5: output at least 4×4
        if (convOut.h() < 4 || convOut.w() < 4) {
            String why = "output " + convOut.h() + "×" + convOut.w() + " is smaller than the KPU's 4×4 minimum";
            r.both(Rule.K5, Verdict.UNSUPPORTED, why + " (nncase 0.1 throws) — use a Dense layer (nncase pads it to 4×4) or a larger map",
                    Verdict.CPU, why + ": nncase 0.2 runs it on the CPU — use a Dense layer or a larger map");
        }
        // K3 / K10: padding and stride-2 selection
        if (s.kernelOk() && s.strideOk() && s.dilationH() == 1 && s.dilationW() == 1 && sizeOk) {
            checkPadding(ctx, g, s, h0, w0, convOut, r);
            if (s.kind() == ConvSpec.Kind.DEPTHWISE && s.strideH() == 2) {
                checkDepthwiseStride2(ctx, g, grouping, r);
            }
        }
        // K8: activation
        checkActivation(ctx, g, s, r);
        // Q1: nncase 0.2 falls back to a float conv when the (BN-folded) weights span more than the threshold
        float range = weightRange(ctx, g, s);
        if (range > WEIGHTS_QUANTIZE_THRESHOLD) {
            r.v4.add(new RuleHit(Rule.Q1, Verdict.CPU, String.format(java.util.Locale.ROOT,
                    "the weights (with the BatchNorm folded in) span %.1f > %.0f: nncase 0.2 keeps this %s as a float conv on the CPU "
                            + "(\"fallback to float conv2d due to weights divergence\") — retrain with weight decay/regularisation",
                    range, WEIGHTS_QUANTIZE_THRESHOLD, convName)));
        }
        return r;
    }

    private static void checkPadding(CheckContext ctx, KpuGroup g, ConvSpec s, int h0, int w0, TensorShape convOut, Result r) {
        ZeroPadding2D zp = g.paddingId() != null ? (ZeroPadding2D) ctx.params(g.paddingId()) : null;
        int k = s.kernelH();
        int st = s.strideH();
        int kp = (k - 1) / 2;
        int hIn = h0 + (zp != null ? zp.top() + zp.bottom() : 0);
        int wIn = w0 + (zp != null ? zp.left() + zp.right() : 0);
        ConvGeometry gh = ConvGeometry.of(hIn, k, st, 1, s.padding());
        ConvGeometry gw = ConvGeometry.of(wIn, k, st, 1, s.padding());
        int pbH = (zp != null ? zp.top() : 0) + gh.padBefore();
        int paH = (zp != null ? zp.bottom() : 0) + gh.padAfter();
        int pbW = (zp != null ? zp.left() : 0) + gw.padBefore();
        int paW = (zp != null ? zp.right() : 0) + gw.padAfter();
        boolean okH = exact(pbH, kp, st, h0, convOut.h());
        boolean okW = exact(pbW, kp, st, w0, convOut.w());
        if (okH && okW) {
            return;
        }
        r.paddingExact = false;
        r.prePadH = Math.max(pbH - kp, 0) + Math.max(paH - kp, 0) + (st == 2 && !okH && h0 % 2 == 1 ? 1 : 0);
        r.prePadW = Math.max(pbW - kp, 0) + Math.max(paW - kp, 0) + (st == 2 && !okW && w0 % 2 == 1 ? 1 : 0);
        String pads = "padding (top " + pbH + ", bottom " + paH + ", left " + pbW + ", right " + paW + ")";
        String kpuCan = k == 3 ? "the KPU pads exactly 1 pixel on every side" + (st == 2 ? " and keeps the left-top pixel of each 2×2" : "")
                : "a 1×1 KPU conv has no padding" + (st == 2 ? " and keeps the left-top pixel of each 2×2 (output ⌊H/2⌋×⌊W/2⌋)" : "");
        String v3;
        String v4;
        if (zp == null && s.padding() == Padding.SAME && st == 2 && (pbH < kp && paH > pbH || pbW < kp && paW > pbW)) {
            v3 = "TF 'same' with stride 2 on an even size pads 0 before and 1 after, but " + kpuCan
                    + "; nncase 0.1 has no exact mapping (its stride-2 shortcut shifts every output by one pixel, nncase #47)";
            v4 = "TF 'same' with stride 2 on an even size pads 0 before and 1 after: nncase 0.2 adds a CPU Pad, a larger KPU input and a Crop (more KPU RAM and time)";
        } else if (zp == null && s.padding() == Padding.VALID && k == 3) {
            v3 = "'valid' 3×3 without a ZeroPadding2D: " + kpuCan + ", and nncase 0.1 maps a 3×3 conv only with 'same' padding "
                    + "or after ZeroPadding2D((1,1),(1,1))";
            v4 = "'valid' 3×3: the KPU computes the padded result and nncase 0.2 crops the border on the CPU (Crop)";
        } else {
            String with = zp != null ? "ZeroPadding2D((" + zp.top() + "," + zp.bottom() + "),(" + zp.left() + "," + zp.right() + ")) + '"
                    + s.padding().keras() + "'" : "'" + s.padding().keras() + "'";
            String odd = st == 2 && (h0 % 2 == 1 || w0 % 2 == 1) ? " (on an odd size the output would need one more row/column than the KPU's ⌊size/2⌋)" : "";
            v3 = with + " gives " + pads + odd + ", but " + kpuCan + "; nncase 0.1 cannot convert it";
            v4 = with + " gives " + pads + odd + ": nncase 0.2 adds a CPU Pad and/or Crop around the KPU conv";
        }
        int hp = h0 + r.prePadH;
        int wp = w0 + r.prePadW;
        boolean v4Fits = hp <= 256 && wp <= 512;
        r.v3.add(new RuleHit(Rule.K3, Verdict.UNSUPPORTED, v3));
        r.v4.add(new RuleHit(Rule.K3, v4Fits ? Verdict.KPU_CPU : Verdict.CPU, v4Fits ? v4
                : v4 + ", but the padded input " + wp + "×" + hp + " (W×H) exceeds nncase's 512×256, so it stays a float conv on the CPU"));
        Fix f = FixFactory.symmetricPadding(ctx, g, s, h0, w0, convOut);
        if (f != null) {
            r.fixes.add(f);
        }
    }

    /** Does padding {@code before} with this stride give what the KPU computes? */
    static boolean exact(int before, int kpuPad, int stride, int in, int out) {
        int expected = stride == 1 ? in : in / 2;
        return before == kpuPad && out == expected;
    }

    private static void checkDepthwiseStride2(CheckContext ctx, KpuGroup g, KpuGrouper.Grouping grouping, Result r) {
        String last = g.layerIds().get(g.layerIds().size() - 1);
        String next = ctx.soleConsumer(last);
        KpuGroup ng = next != null ? grouping.byLayer().get(next) : null;
        boolean pointwiseNext = false;
        if (ng != null && ng.convId().equals(next) && ng.paddingId() == null && ng.poolId() == null
                && ctx.params(next) instanceof Conv2D c && c.kernelH() == 1 && c.kernelW() == 1 && c.strideH() == 1 && c.strideW() == 1) {
            pointwiseNext = true;
        }
        if (pointwiseNext) {
            r.strideMovedToNext = true;
            String why = "stride-2 depthwise: computed at stride 1 and the stride moves to the next 1×1 conv ('" + ctx.layer(next).name()
                    + "'), which keeps the left-top pixels with the KPU's pooling stage";
            if (g.paddingId() == null && r.paddingExact) {
                // 'same' on an odd size: rc5 only matches the explicit-padding form
                r.v3.add(new RuleHit(Rule.K10, Verdict.UNSUPPORTED, "nncase 0.1 runs a stride-2 depthwise conv only as ZeroPadding2D((1,1),(1,1)) + 'valid' followed by a 1×1 conv"));
            } else {
                r.v3.add(new RuleHit(Rule.K10, Verdict.KPU, why));
            }
            r.v4.add(new RuleHit(Rule.K10, Verdict.KPU, why));
        } else {
            r.v3.add(new RuleHit(Rule.K10, Verdict.UNSUPPORTED, "stride-2 depthwise conv: the KPU cannot stride a depthwise conv itself, and nncase 0.1 only handles it "
                    + "as ZeroPadding2D((1,1),(1,1)) + 'valid' followed directly by a 1×1 stride-1 conv"));
            r.v4.add(new RuleHit(Rule.K10, Verdict.KPU_CPU, "stride-2 depthwise conv not followed by a 1×1 conv: nncase 0.2 runs it at stride 1 on the KPU "
                    + "and keeps every 2nd value with a StridedSlice on the CPU"));
        }
    }

    private static void checkActivation(CheckContext ctx, KpuGroup g, ConvSpec s, Result r) {
        ActivationFn fn;
        String label;
        if (!s.activation().isLinear()) {
            fn = s.activation();
            label = "activation '" + fn + "'";
        } else if (g.activationId() != null) {
            LayerParams ap = ctx.params(g.activationId());
            fn = Activations.of(ap);
            label = "activation " + Activations.name(ap);
        } else {
            return;
        }
        if (fn != null && fn.kind() == ActivationFn.Kind.SOFTMAX) {
            r.both(Rule.K8, Verdict.KPU_CPU, "softmax is not element-wise: the KPU layer ends linear and the softmax runs on the CPU");
            return;
        }
        // V4: any element-wise function is fitted to the KPU's 16-segment table
        if (Activations.v3Fuses(fn)) {
            return;
        }
        if (fn != null && fn.kind() == ActivationFn.Kind.SIGMOID) {
            r.v3.add(new RuleHit(Rule.K8, Verdict.KPU_CPU, label + ": nncase 0.1 fuses only ReLU, ReLU6 and LeakyReLU into the KPU; "
                    + "the sigmoid runs as a CPU LOGISTIC layer after it"));
        } else {
            r.v3.add(new RuleHit(Rule.K8, Verdict.UNSUPPORTED, label + ": nncase 0.1 fuses only ReLU, ReLU6 and LeakyReLU into the KPU "
                    + "and has no CPU layer for it — use ReLU/LeakyReLU, or target V4 (which fits it to the KPU's 16-segment table)"));
        }
    }

    /** Per-output-channel [min, max] of a kernel, cached by array identity (weights are immutable and shared between graph copies). */
    private static final Map<float[], float[]> RANGES = Collections.synchronizedMap(new WeakHashMap<>());

    static float[] channelRanges(float[] d, int oc) {
        float[] r = RANGES.get(d);
        if (r != null && r.length == 2 * oc) {
            return r;
        }
        r = new float[2 * oc];
        for (int c = 0; c < oc; c++) {
            r[2 * c] = Float.POSITIVE_INFINITY;
            r[2 * c + 1] = Float.NEGATIVE_INFINITY;
        }
        for (int i = 0; i < d.length; i++) {
            int c = 2 * (i % oc);
            float v = d[i];
            if (v < r[c]) {
                r[c] = v;
            }
            if (v > r[c + 1]) {
                r[c + 1] = v;
            }
        }
        RANGES.put(d, r);
        return r;
    }

    /** max − min of the conv's weights with the absorbed BatchNorm folded in (0 when there are no weights). */
    static float weightRange(CheckContext ctx, KpuGroup g, ConvSpec s) {
        Layer conv = ctx.layer(g.convId());
        Tensor kernel = conv.weight(s.kind() == ConvSpec.Kind.CONV ? "kernel" : "depthwise_kernel");
        if (kernel == null || kernel.rank() != 4) {
            return 0f;
        }
        int oc = s.kind() == ConvSpec.Kind.CONV ? kernel.dim(3) : kernel.dim(2) * kernel.dim(3);
        float[] scale = null;
        if (g.batchNormId() != null && s.kind() != ConvSpec.Kind.SEPARABLE) {
            Layer bn = ctx.layer(g.batchNormId());
            Tensor gamma = bn.weight("gamma");
            Tensor var = bn.weight("moving_variance");
            float eps = ((BatchNormalization) bn.params()).epsilon();
            if (var != null && var.size() == oc) {
                scale = new float[oc];
                for (int c = 0; c < oc; c++) {
                    float gm = gamma != null && gamma.size() == oc ? gamma.get(c) : 1f;
                    scale[c] = (float) (gm / Math.sqrt(var.get(c) + eps));
                }
            }
        }
        float[] ranges = channelRanges(kernel.data(), oc);
        float min = 0f;
        float max = 0f; // nncase's fixup_range includes 0
        for (int c = 0; c < oc; c++) {
            float sc = scale == null ? 1f : scale[c];
            float a = ranges[2 * c] * sc;
            float b = ranges[2 * c + 1] * sc;
            min = Math.min(min, Math.min(a, b));
            max = Math.max(max, Math.max(a, b));
        }
        return max - min;
    }
}
