package k210studio.ir.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.TensorShape;

/**
 * Finds the layers that fuse into one KPU layer ({@code k210-rules.md} "One KPU layer"):
 * a ZeroPadding2D whose only consumer is a 'valid' conv is absorbed into the KPU's padding;
 * BatchNormalization, an element-wise activation and a Max/AveragePooling2D are absorbed when
 * each is the sole consumer of the previous step (and the previous step is not a model output).
 * BN and an activation layer are only absorbed when the conv has no activation of its own
 * (the KPU order is conv → BN → activation → pool). A pool is absorbed only when the KPU can do
 * it (K9, K10, K5); otherwise the reason is remembered for the pool's own verdict.
 */
final class KpuGrouper {

    /** The groups, which group each layer is in, and why a pool after a conv stayed out. */
    record Grouping(List<KpuGroup> groups, Map<String, KpuGroup> byLayer, Map<String, RuleHit> poolRejections) {
    }

    private KpuGrouper() {
    }

    static Grouping find(CheckContext ctx) {
        List<KpuGroup> groups = new ArrayList<>();
        Map<String, KpuGroup> byLayer = new LinkedHashMap<>();
        Map<String, RuleHit> rejections = new HashMap<>();
        for (String id : ctx.order) {
            LayerParams p = ctx.params(id);
            ConvSpec spec = ConvSpec.of(p);
            if (spec == null || ctx.inputs.get(id).size() != 1) {
                continue;
            }
            List<String> members = new ArrayList<>();
            String pad = null;
            String producer = ctx.producer(id);
            if (producer != null && ctx.params(producer) instanceof ZeroPadding2D && spec.padding() == Padding.VALID
                    && id.equals(ctx.soleConsumer(producer)) && !byLayer.containsKey(producer)) {
                pad = producer;
                members.add(pad);
            }
            members.add(id);
            String bn = null;
            String act = null;
            String pool = null;
            String last = id;
            boolean convHasActivation = !spec.activation().isLinear();
            String next = ctx.soleConsumer(last);
            if (!convHasActivation && next != null && ctx.params(next) instanceof BatchNormalization) {
                bn = next;
                members.add(bn);
                last = bn;
                next = ctx.soleConsumer(last);
            }
            if (!convHasActivation && next != null && Activations.isActivationLayer(ctx.params(next))) {
                act = next;
                members.add(act);
                last = act;
                next = ctx.soleConsumer(last);
            }
            if (next != null && (ctx.params(next) instanceof MaxPooling2D || ctx.params(next) instanceof AveragePooling2D)) {
                RuleHit why = poolRejection(spec, ctx.params(next), ctx.shape(last), ctx.shape(next));
                if (why == null) {
                    pool = next;
                    members.add(pool);
                    last = pool;
                } else {
                    rejections.put(next, why);
                }
            }
            String first = members.get(0);
            TensorShape in = ctx.inputShape(first);
            KpuGroup g = new KpuGroup(id, members, pad, id, bn, act, pool, in, ctx.shape(last));
            groups.add(g);
            for (String m : members) {
                byLayer.put(m, g);
            }
        }
        return new Grouping(groups, byLayer, rejections);
    }

    /** Null when the KPU can fuse this pool after this conv; else the rule that stops it (the pool then runs on the CPU). */
    static RuleHit poolRejection(ConvSpec conv, LayerParams pool, TensorShape in, TensorShape out) {
        int ph;
        int pw;
        int sh;
        int sw;
        Padding pad;
        if (pool instanceof MaxPooling2D m) {
            ph = m.poolH();
            pw = m.poolW();
            sh = m.strideH();
            sw = m.strideW();
            pad = m.padding();
        } else {
            AveragePooling2D a = (AveragePooling2D) pool;
            ph = a.poolH();
            pw = a.poolW();
            sh = a.strideH();
            sw = a.strideW();
            pad = a.padding();
        }
        String what = pool.kerasName() + " " + ph + "×" + pw + " stride " + (sh == sw ? sh : sh + "×" + sw) + " '" + pad.keras() + "'";
        if (conv.lastStageIsDepthwise()) {
            return new RuleHit(Rule.K9, Verdict.CPU, what + " follows a depthwise conv: the KPU only pools after a regular conv, so it runs on the CPU");
        }
        if (conv.strideH() != 1 || conv.strideW() != 1) {
            return new RuleHit(Rule.K10, Verdict.CPU, what + " follows a stride-" + conv.strideText()
                    + " conv whose striding already uses the KPU's pooling stage, so the pool runs on the CPU (use stride 1 + this pool, or drop the pool)");
        }
        if (in == null || out == null || !in.isImage() || !out.isImage()) {
            return new RuleHit(Rule.K9, Verdict.CPU, what + ": shapes unknown");
        }
        boolean ok = false;
        if (ph == pw && sh == sw) {
            if (ph == 2 && sh == 2) {
                ok = pad == Padding.VALID || in.h() % 2 == 0 && in.w() % 2 == 0;
            } else if (ph == 4 && sh == 4) {
                ok = pad == Padding.VALID || in.h() % 4 == 0 && in.w() % 4 == 0;
            } else if (ph == 2 && sh == 1) {
                ok = pad == Padding.SAME;
            }
        }
        if (!ok) {
            return new RuleHit(Rule.K9, Verdict.CPU, what + " is not a pool the KPU can fuse (2×2 stride 2, 4×4 stride 4 — 'same' only on sizes "
                    + "divisible by the stride — or 2×2 stride 1 'same'), so it runs on the CPU");
        }
        if (out.h() < 4 || out.w() < 4) {
            return new RuleHit(Rule.K5, Verdict.CPU, what + " would make the KPU output " + out.h() + "×" + out.w()
                    + ", smaller than 4×4, so the pool runs on the CPU");
        }
        return null;
    }
}
