package k210studio.ir.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import k210studio.ir.edit.CompoundCommand;
import k210studio.ir.edit.DeferredCommand;
import k210studio.ir.edit.EditCommand;
import k210studio.ir.edit.InsertLayerBetweenCommand;
import k210studio.ir.edit.SetParamsCommand;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.shape.ConvGeometry;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Builds the checker's one-click fixes as undoable commands. Fixes that add layers are
 * {@link DeferredCommand}s: they take fresh ids from the graph only when applied, so checking a
 * graph never changes it.
 */
final class FixFactory {
    private FixFactory() {
    }

    static final String GRID_SHIFT_WARNING = "shifts the sampling grid by one pixel: each output now covers input rows/columns 2o−1…2o+1 "
            + "instead of TF's 2o…2o+2 (same output size); retrain, or re-import weights trained with explicit padding";

    /**
     * K3: a 3×3 (or 1×1) conv whose padding the KPU cannot do, where ZeroPadding2D((1,1),(1,1)) +
     * 'valid' gives the same output size and exactly the KPU's computation. Either inserts the
     * padding and switches the conv to 'valid' (TF 'same' stride 2), or resets an absorbed
     * asymmetric ZeroPadding2D to ((1,1),(1,1)).
     */
    static Fix symmetricPadding(CheckContext ctx, KpuGroup g, ConvSpec s, int h0, int w0, TensorShape convOut) {
        if (s.kernelH() != 3 || s.kind() == ConvSpec.Kind.SEPARABLE) {
            return null;
        }
        int st = s.strideH();
        int oh = ConvGeometry.of(h0 + 2, 3, st, 1, Padding.VALID).out();
        int ow = ConvGeometry.of(w0 + 2, 3, st, 1, Padding.VALID).out();
        if (oh != convOut.h() || ow != convOut.w() || !KpuGroupRules.exact(1, 1, st, h0, oh) || !KpuGroupRules.exact(1, 1, st, w0, ow)) {
            return null; // the fixed layer would change the output size or still not be exact
        }
        String convId = g.convId();
        String convName = ctx.layer(convId).name();
        if (g.paddingId() != null) {
            String zpId = g.paddingId();
            EditCommand cmd = SetParamsCommand.params(zpId, ZeroPadding2D.symmetric(1));
            return new Fix(convId, Rule.K3, "Set " + ctx.layer(zpId).name() + " to ZeroPadding2D(((1,1),(1,1)))", GRID_SHIFT_WARNING,
                    new CompoundCommand("Fix padding of " + convName, List.of(cmd)));
        }
        if (s.padding() != Padding.SAME) {
            return null; // a 'valid' conv would change size
        }
        LayerParams fixedConv = withPadding(ctx.params(convId), Padding.VALID);
        String title = "Insert ZeroPadding2D(((1,1),(1,1))) before " + convName + " and set it to 'valid'";
        EditCommand cmd = new DeferredCommand(title, graph -> {
            String producer = producerOf(graph, convId);
            Layer pad = new Layer(graph.newId(), graph.uniqueName("zero_padding2d"), ZeroPadding2D.symmetric(1));
            return new CompoundCommand(title, List.of(
                    new InsertLayerBetweenCommand(producer, convId, pad, between(graph, producer, convId)),
                    SetParamsCommand.params(convId, fixedConv)));
        });
        return new Fix(convId, Rule.K3, title, GRID_SHIFT_WARNING, cmd);
    }

    private static LayerParams withPadding(LayerParams p, Padding pad) {
        if (p instanceof Conv2D c) {
            return c.withPadding(pad);
        }
        return ((DepthwiseConv2D) p).withPadding(pad);
    }

    /** The single producer of a layer when a deferred fix is applied; a stale fix (the graph changed since the check) is refused cleanly. */
    static String producerOf(Graph graph, String id) {
        if (!graph.contains(id)) {
            throw new k210studio.ir.graph.GraphException("this fix is out of date: the layer it was made for is gone (check the model again)", id);
        }
        List<String> ins = graph.inputsOf(id);
        if (ins.size() != 1) {
            throw new k210studio.ir.graph.GraphException("this fix is out of date: " + graph.layer(id).name() + " no longer has exactly one input (check the model again)", id);
        }
        return ins.get(0);
    }

    /** A canvas position between two layers, if both have one. */
    static Position between(Graph graph, String a, String b) {
        Position pa = graph.position(a);
        Position pb = graph.position(b);
        if (pa == null || pb == null) {
            return null;
        }
        return new Position((pa.x() + pb.x()) / 2, (pa.y() + pb.y()) / 2);
    }

    /**
     * K1: a square 5×5 (7×7) conv with TF 'same' padding becomes two (three) stacked 3×3 convs with
     * the same receptive field and output size. The added convs start as identity kernels (they
     * pass their input through), the original layer keeps its name, becomes 3×3 and keeps the
     * centre 3×3 of its old kernel; a stride-2 last conv on an even size gets
     * ZeroPadding2D((1,1),(1,1)) + 'valid' so that it is a clean KPU layer.
     */
    static Fix splitKernel(CheckContext ctx, KpuGroup g, ConvSpec s) {
        int k = s.kernelH();
        if (s.kernelW() != k || (k != 5 && k != 7) || s.dilationH() != 1 || s.dilationW() != 1 || !s.strideOk()
                || s.padding() != Padding.SAME || g.paddingId() != null || s.depthMultiplier() != 1 || s.kind() == ConvSpec.Kind.SEPARABLE) {
            return null;
        }
        TensorShape in = g.input();
        if (in == null || !in.isImage()) {
            return null;
        }
        int n = (k - 1) / 2;
        int st = s.strideH();
        boolean padLast = st == 2 && (in.h() % 2 == 0 || in.w() % 2 == 0);
        String convId = g.convId();
        Layer conv = ctx.layer(convId);
        String title = "Replace the " + k + "×" + k + " kernel of " + conv.name() + " by " + n + " stacked 3×3 convs";
        String warning = "retrain: the receptive field and output size stay the same, but the weights are new — the "
                + (n - 1 == 1 ? "added conv starts" : (n - 1) + " added convs start") + " as identity (pass-through) kernels and "
                + conv.name() + " keeps only the centre 3×3 of its old " + k + "×" + k + " kernel, so the model's results change until it is retrained";
        int cin = in.c();
        EditCommand cmd = new DeferredCommand(title, graph -> {
            Layer c = graph.layer(convId);
            List<EditCommand> steps = new ArrayList<>();
            String prev = producerOf(graph, convId);
            boolean hasWeights = !c.weights().isEmpty();
            for (int i = 1; i < n; i++) {
                LayerParams idp = s.kind() == ConvSpec.Kind.CONV
                        ? new Conv2D(cin, 3, 3, 1, 1, Padding.SAME, 1, 1, true, ActivationFn.LINEAR)
                        : new DepthwiseConv2D(3, 3, 1, 1, Padding.SAME, 1, 1, 1, true, ActivationFn.LINEAR);
                Map<String, Tensor> w = hasWeights ? identityWeights(s.kind(), cin) : Map.of();
                Layer id = new Layer(graph.newId(), graph.uniqueName(c.name() + "_3x3"), idp, w);
                steps.add(new InsertLayerBetweenCommand(prev, convId, id, between(graph, prev, convId)));
                prev = id.id();
            }
            Padding lastPad = Padding.SAME;
            if (padLast) {
                Layer pad = new Layer(graph.newId(), graph.uniqueName("zero_padding2d"), ZeroPadding2D.symmetric(1));
                steps.add(new InsertLayerBetweenCommand(prev, convId, pad, null));
                lastPad = Padding.VALID;
            }
            LayerParams last;
            if (c.params() instanceof Conv2D cv) {
                last = cv.withKernel(3, 3).withPadding(lastPad);
            } else {
                DepthwiseConv2D dw = (DepthwiseConv2D) c.params();
                last = new DepthwiseConv2D(3, 3, dw.strideH(), dw.strideW(), lastPad, 1, 1, 1, dw.useBias(), dw.activation());
            }
            Map<String, Tensor> w = new LinkedHashMap<>(c.weights());
            String key = s.kind() == ConvSpec.Kind.CONV ? "kernel" : "depthwise_kernel";
            if (w.get(key) != null && w.get(key).rank() == 4) {
                w.put(key, centreCrop(w.get(key), 3));
            }
            steps.add(SetParamsCommand.paramsAndWeights(convId, last, w));
            return new CompoundCommand(title, steps);
        });
        return new Fix(convId, Rule.K1, title, warning, cmd);
    }

    static Map<String, Tensor> identityWeights(ConvSpec.Kind kind, int c) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        if (kind == ConvSpec.Kind.CONV) {
            float[] k = new float[9 * c * c];
            for (int ch = 0; ch < c; ch++) {
                k[((1 * 3 + 1) * c + ch) * c + ch] = 1f; // HWIO centre tap, in == out
            }
            w.put("kernel", new Tensor(new int[] {3, 3, c, c}, k));
        } else {
            float[] k = new float[9 * c];
            for (int ch = 0; ch < c; ch++) {
                k[(1 * 3 + 1) * c + ch] = 1f;
            }
            w.put("depthwise_kernel", new Tensor(new int[] {3, 3, c, 1}, k));
        }
        w.put("bias", Tensor.zeros(c));
        return w;
    }

    /** The centre {@code size}×{@code size} window of an [kh, kw, i, o] kernel. */
    static Tensor centreCrop(Tensor kernel, int size) {
        int kh = kernel.dim(0);
        int kw = kernel.dim(1);
        int ci = kernel.dim(2);
        int co = kernel.dim(3);
        int oy = (kh - size) / 2;
        int ox = (kw - size) / 2;
        float[] src = kernel.data();
        float[] dst = new float[size * size * ci * co];
        int plane = ci * co;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                System.arraycopy(src, ((y + oy) * kw + (x + ox)) * plane, dst, (y * size + x) * plane, plane);
            }
        }
        return new Tensor(new int[] {size, size, ci, co}, dst);
    }

    /** K8: PReLU → LeakyReLU with the mean of the learned slopes. */
    static Fix preluToLeaky(CheckContext ctx, String id) {
        Layer l = ctx.layer(id);
        Tensor alpha = l.weight("alpha");
        float mean = 0f;
        String stats = "no learned slopes are stored, so the slope is 0 (plain ReLU)";
        if (alpha != null && alpha.size() > 0) {
            double sum = 0;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : alpha.data()) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            mean = (float) (sum / alpha.size());
            stats = String.format(Locale.ROOT, "the %d learned slopes range %.4g…%.4g; their mean %.4g becomes the one slope", alpha.size(), min, max, mean);
        }
        String title = String.format(Locale.ROOT, "Replace %s by LeakyReLU(alpha=%.4g)", l.name(), mean);
        String warning = "retrain: LeakyReLU has one slope for every channel — " + stats;
        EditCommand cmd = new SetParamsCommand(id, new LeakyReLU(mean), null, Map.of(), title);
        return new Fix(id, Rule.K8, title, warning, cmd);
    }

    /** Replaces a layer's parameters (dropping its weights when {@code dropWeights}), e.g. PReLU → ReLU, bilinear → nearest. */
    static Fix replace(CheckContext ctx, String id, Rule rule, LayerParams params, boolean dropWeights, String title, String warning) {
        return new Fix(id, rule, title, warning, new SetParamsCommand(id, params, null, dropWeights ? Map.of() : null, title));
    }

    /** M5: a dynamic reshape becomes a static Reshape to the shape inferred now. */
    static Fix staticReshape(CheckContext ctx, String id) {
        TensorShape out = ctx.shape(id);
        if (out == null) {
            return null;
        }
        String title = "Make " + ctx.layer(id).name() + " a static Reshape to " + out;
        return new Fix(id, Rule.M5, title, null, new SetParamsCommand(id, new Reshape(out, false), null, null, title));
    }
}
