package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import k210studio.converter.quant.KpuActivationTable;
import k210studio.converter.quant.KpuBatchNorm;
import k210studio.converter.quant.KpuConvOffsets;
import k210studio.converter.quant.KpuWeights;
import k210studio.converter.quant.QuantParam;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.quant.ValueRange;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Interpolation;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.Softmax;
import k210studio.ir.layer.UpSampling2D;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.shape.ConvGeometry;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Lowers a prepared float graph ({@link GraphPreparer}) with its calibration to K210 steps, the way nncase does:
 * [ZeroPadding2D] → conv → activation → [pool] become one KPU layer; data moves between KPU RAM and main memory
 * with uploads and main-memory outputs; CPU layers run in float32 (or uint8 where nncase does); large Dense layers
 * run on the KPU as a 1×1 conv on a 4×4 map. Anything the target cannot run stops the compile with the layer named.
 */
public final class K210Lowering {
    private final Graph g;
    private final ShapeResult shapes;
    private final Calibration cal;
    private final CompileOptions opt;
    private final QuantRules rules;
    private final Map<String, Map<Storage, PlannedValue>> reps = new HashMap<>();
    private final List<PlanStep> steps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Set<String> absorbed = new HashSet<>();
    private final List<PlannedValue> inputs = new ArrayList<>();

    private K210Lowering(Graph prepared, Calibration cal, CompileOptions opt) {
        this.g = prepared;
        this.shapes = ShapeInference.infer(prepared);
        this.cal = cal;
        this.opt = opt;
        this.rules = opt.target();
    }

    public static K210Program lower(Graph prepared, Calibration cal, CompileOptions opt) throws CompileException {
        return new K210Lowering(prepared, cal, opt).run();
    }

    private K210Program run() throws CompileException {
        if (!shapes.ok()) {
            String id = shapes.errors().keySet().iterator().next();
            throw new CompileException(g.layer(id).name() + ": " + shapes.error(id), g.layer(id).name());
        }
        if (g.inputIds().size() != 1) {
            throw new CompileException("a kmodel has exactly one input; this network has " + g.inputIds().size(), null);
        }
        for (String id : g.topologicalOrder()) {
            if (absorbed.contains(id)) {
                continue;
            }
            lowerLayer(g.layer(id));
        }
        List<PlannedValue> outs = new ArrayList<>();
        for (String id : g.outputIds()) {
            outs.add(asFloat(id));
        }
        return new K210Program(inputs, steps, outs, notes);
    }

    // ------------------------------------------------------------------ dispatch

    private void lowerLayer(Layer l) throws CompileException {
        LayerParams p = l.params();
        if (p instanceof Input in) {
            lowerInput(l, in);
        } else if (p instanceof ZeroPadding2D z) {
            String consumer = soleConsumer(l.id());
            if (consumer != null && absorbsPadding(g.layer(consumer)) && mapping(g.layer(consumer)) != null) {
                absorbed.add(l.id());
            } else if (rules == QuantRules.V4) {
                PlannedValue src = asMainU8(producer(l, 0));
                TensorShape s = shapes.shape(l.id());
                PlannedValue out = new PlannedValue(l.name(), Storage.MAIN_U8, s.c(), s.h(), s.w(), src.quant());
                steps.add(new PlanStep.PadU8(l.name(), src, out, z.top(), z.bottom(), z.left(), z.right()));
                put(l.id(), out);
            } else {
                String why = consumer != null && absorbsPadding(g.layer(consumer))
                        ? "; " + g.layer(consumer).name() + " cannot take it: " + geometryReason(g.layer(consumer)) : "";
                throw unsupported(l, "a ZeroPadding2D that no KPU convolution can absorb (kmodel V3 has no padding layer" + why + ")",
                        "put it right before a 1×1 or 3×3 convolution, or compile for V4");
            }
        } else if (p instanceof Conv2D || p instanceof DepthwiseConv2D) {
            lowerConv(l);
        } else if (p instanceof Dense d) {
            lowerDense(l, d);
        } else if (p instanceof Flatten || p instanceof Reshape) {
            lowerFlatten(l);
        } else if (p instanceof GlobalAveragePooling2D) {
            PlannedValue in = asFloat(producer(l, 0));
            PlannedValue out = floatValue(l, in.c(), 1, 1);
            steps.add(new PlanStep.GlobalAveragePool(l.name(), in, out));
            put(l.id(), out);
        } else if (p instanceof Softmax || p instanceof Activation a && a.fn().kind() == ActivationFn.Kind.SOFTMAX) {
            PlannedValue in = asFloat(producer(l, 0));
            if (in.h() != 1 || in.w() != 1) {
                throw unsupported(l, "softmax over a feature map (" + in.c() + " channels × " + in.h() + "×" + in.w() + ")",
                        "flatten first or use V4");
            }
            PlannedValue out = floatValue(l, in.c(), 1, 1);
            steps.add(new PlanStep.Softmax(l.name(), in, out));
            put(l.id(), out);
        } else if (p instanceof Activation a && a.fn().kind() == ActivationFn.Kind.SIGMOID) {
            PlannedValue in = asFloat(producer(l, 0));
            PlannedValue out = floatValue(l, in.c(), in.h(), in.w());
            steps.add(new PlanStep.Logistic(l.name(), in, out));
            put(l.id(), out);
        } else if (p instanceof Activation a && a.fn().isLinear()) {
            reps.put(l.id(), reps.get(producer(l, 0)));
        } else if (p instanceof Add) {
            if (g.inputsOf(l.id()).size() != 2) {
                throw unsupported(l, "Add of " + g.inputsOf(l.id()).size() + " inputs", "chain two-input Adds");
            }
            PlannedValue a = asFloat(producer(l, 0));
            PlannedValue b = asFloat(producer(l, 1));
            PlannedValue out = floatValue(l, a.c(), a.h(), a.w());
            steps.add(new PlanStep.Add(l.name(), a, b, out));
            put(l.id(), out);
        } else if (p instanceof Concatenate c) {
            lowerConcat(l, c);
        } else if (p instanceof MaxPooling2D || p instanceof AveragePooling2D) {
            lowerCpuPool(l);
        } else if (p instanceof UpSampling2D u && u.interpolation() == Interpolation.NEAREST) {
            PlannedValue in = asFloat(producer(l, 0));
            TensorShape s = shapes.shape(l.id());
            PlannedValue out = floatValue(l, s.c(), s.h(), s.w());
            steps.add(new PlanStep.ResizeNearest(l.name(), in, out));
            put(l.id(), out);
        } else if (GraphPreparer.elementwise(p) != null && cpuActivation(GraphPreparer.elementwise(p))) {
            lowerCpuActivation(l, GraphPreparer.elementwise(p));
        } else {
            throw unsupported(l, p.kerasName() + " has no " + targetName() + " layer", alternatives(p));
        }
    }

    private static boolean cpuActivation(ActivationFn fn) {
        return fn.kind() == ActivationFn.Kind.RELU || fn.kind() == ActivationFn.Kind.RELU6
                || fn.kind() == ActivationFn.Kind.LEAKY_RELU && fn.alpha() >= 0f;
    }

    /**
     * An activation the preparer could not fuse into a convolution (its producer is not a conv, or feeds other layers
     * too): V4 runs it on the CPU in float (binary max/min with a constant); V3 has no layer for it.
     */
    private void lowerCpuActivation(Layer l, ActivationFn fn) throws CompileException {
        if (rules == QuantRules.V3) {
            throw unsupported(l, "a standalone " + fn + " that no convolution right before it can apply (kmodel V3 has no "
                    + "element-wise activation layer)", "make it the activation of the convolution before it, or compile for V4");
        }
        PlannedValue in = asFloat(producer(l, 0));
        PlannedValue out = floatValue(l, in.c(), in.h(), in.w());
        PlannedValue scratch = fn.kind() == ActivationFn.Kind.LEAKY_RELU
                ? new PlannedValue(l.name() + ":alpha_x", Storage.MAIN_F32, in.c(), in.h(), in.w(), null) : null;
        steps.add(new PlanStep.CpuActivation(l.name(), in, out, scratch, fn));
        put(l.id(), out);
    }

    private void lowerInput(Layer l, Input in) throws CompileException {
        TensorShape s = in.shape();
        boolean image = s.isImage();
        boolean feedsKpu = image && !g.consumersOf(l.id()).isEmpty();
        for (String c : g.consumersOf(l.id())) {
            feedsKpu &= kpuConvCandidate(g.layer(c));
        }
        boolean prePadded = false;
        for (String c : g.consumersOf(l.id())) {
            Layer cl = g.layer(c);
            Layer conv = cl.params() instanceof ZeroPadding2D ? g.layer(soleConsumer(c)) : cl;
            prePadded |= feedsKpu && mapping(conv).prePads();
        }
        if (feedsKpu) {
            QuantParam q = QuantParam.of(opt.inputRange(), rules);
            PlannedValue v = new PlannedValue(l.name(), prePadded ? Storage.MAIN_U8 : Storage.KPU, s.c(), s.h(), s.w(), q);
            inputs.add(v);
            put(l.id(), v);
            notes.add(String.format(java.util.Locale.ROOT, "input: uint8 %s×%s×%s planar RGB in " + (prePadded ? "main memory" : "KPU RAM")
                    + ", real value = (pixel − %s) / %s "
                    + "(quantization scale %.6g, zero point %d)", s.w(), s.h(), s.c(), opt.mean(), opt.std(), q.scale(), q.zeroPoint()));
        } else {
            int c = s.c();
            int h = image ? s.h() : 1;
            int w = image ? s.w() : 1;
            if (!image && s.rank() != 1) {
                throw new CompileException("input " + l.name() + " of shape " + s + " is neither an image nor a vector", l.name());
            }
            PlannedValue v = new PlannedValue(l.name(), Storage.MAIN_F32, c, h, w, null);
            v.pinAtZero();
            inputs.add(v);
            put(l.id(), v);
            notes.add("input: float32 " + s + " in main memory at offset 0");
        }
    }

    // ------------------------------------------------------------------ KPU convolutions

    /** A convolution as TensorFlow defines it, with an absorbed ZeroPadding2D folded into its padding. */
    private record ConvSpec(int k, int stride, boolean depthwise, ActivationFn act, String inputId, TensorShape in,
                            TensorShape out, int padTop, int padBottom, int padLeft, int padRight) {
    }

    /** The KPU mapping of a conv: both axes, the pool type, and whether the stride is deferred to the next 1×1 conv. */
    /**
     * @param shiftRows  V3 odd-grid stride 2: the conv runs at stride 1 and its output is re-uploaded shifted up by this
     *                   many rows (0/1) and down-sampled by a 1×1 identity KPU layer (kmodel V3 has no pad/crop layer)
     * @param shiftCols  the same for columns
     * @param sliceStride V4 depthwise stride 2 whose stride no 1×1 conv can take over: {@code rows}/{@code cols} plan the
     *                   conv at stride 1, and a uint8 strided slice on the CPU keeps every second row and column
     */
    private record ConvMapping(KpuAxisPlan rows, KpuAxisPlan cols, boolean deferStride, int shiftRows, int shiftCols,
                               boolean sliceStride) {
        ConvMapping(KpuAxisPlan rows, KpuAxisPlan cols, boolean deferStride, int shiftRows, int shiftCols) {
            this(rows, cols, deferStride, shiftRows, shiftCols, false);
        }

        boolean shiftSelect() {
            return shiftRows + shiftCols > 0;
        }

        boolean needsCpu() {
            return !deferStride && !shiftSelect() && (rows.needsCpu() || cols.needsCpu());
        }

        boolean prePads() {
            return rows.padBefore() + rows.padAfter() + cols.padBefore() + cols.padAfter() > 0;
        }
    }

    /** A depthwise stride-2 conv computed at stride 1 whose down-sampling (and crop) the next 1×1 conv performs. */
    private record PendingStride(KpuAxisPlan rows, KpuAxisPlan cols, TensorShape out) {
    }

    private final Map<String, ConvMapping> mappings = new HashMap<>();
    private final Map<String, PendingStride> pendingStride = new HashMap<>();

    /** Whether a layer could be the conv of a KPU group (or a padding it absorbs). */
    private boolean kpuConvCandidate(Layer l) {
        if (l.params() instanceof ZeroPadding2D) {
            String c = soleConsumer(l.id());
            return c != null && absorbsPadding(g.layer(c)) && kpuConvCandidate(g.layer(c));
        }
        return kpuReason(l) == null && mapping(l) != null;
    }

    /** A ZeroPadding2D right before a 1×1/3×3 conv becomes part of that conv's padding. */
    private boolean absorbsPadding(Layer conv) {
        int k;
        if (conv.params() instanceof Conv2D c) {
            k = c.kernelH();
        } else if (conv.params() instanceof DepthwiseConv2D d) {
            k = d.kernelH();
        } else {
            return false;
        }
        return (k == 1 || k == 3) && kpuReason(conv) == null;
    }

    private ConvSpec spec(Layer l) {
        int k;
        int s;
        Padding pad;
        boolean dw = l.params() instanceof DepthwiseConv2D;
        ActivationFn act;
        if (dw) {
            DepthwiseConv2D d = (DepthwiseConv2D) l.params();
            k = d.kernelH();
            s = d.strideH();
            pad = d.padding();
            act = d.activation();
        } else {
            Conv2D c = (Conv2D) l.params();
            k = c.kernelH();
            s = c.strideH();
            pad = c.padding();
            act = c.activation();
        }
        String in = g.inputsOf(l.id()).get(0);
        int pt = 0;
        int pb = 0;
        int pl = 0;
        int pr = 0;
        if (g.layer(in).params() instanceof ZeroPadding2D z && soleConsumer(in) != null) {
            pt = z.top();
            pb = z.bottom();
            pl = z.left();
            pr = z.right();
            in = g.inputsOf(in).get(0);
        }
        TensorShape x = shapes.shape(in);
        ConvGeometry gh = ConvGeometry.of(x.h() + pt + pb, k, s, 1, pad);
        ConvGeometry gw = ConvGeometry.of(x.w() + pl + pr, k, s, 1, pad);
        return new ConvSpec(k, s, dw, act, in, x, shapes.shape(l.id()), pt + gh.padBefore(), pb + gh.padAfter(),
                pl + gw.padBefore(), pr + gw.padAfter());
    }

    /** The KPU mapping of a conv for this target, or null when its geometry cannot be mapped. */
    private ConvMapping mapping(Layer l) {
        if (mappings.containsKey(l.id())) {
            return mappings.get(l.id());
        }
        ConvSpec s = spec(l);
        boolean v3 = rules == QuantRules.V3;
        ConvMapping m = null;
        int p = (s.k() - 1) / 2;
        int dr = s.padTop() - p;
        int dc = s.padLeft() - p;
        if (v3 && s.stride() == 2 && (dr == -1 || dc == -1) && dr <= 0 && dc <= 0 && s.in().h() % 2 == 0
                && s.in().w() % 2 == 0 && s.out().h() == s.in().h() / 2 && s.out().w() == s.in().w() / 2
                && s.padBottom() <= p + 1 && s.padRight() <= p + 1) {
            KpuAxisPlan rows = KpuAxisPlan.of(s.in().h(), s.k(), 1, p, p, s.in().h(), false);
            KpuAxisPlan cols = KpuAxisPlan.of(s.in().w(), s.k(), 1, p, p, s.in().w(), true);
            m = new ConvMapping(rows, cols, false, -dr, -dc);
            mappings.put(l.id(), m);
            return m;
        }
        if (!v3 && s.depthwise() && s.stride() == 2 && !strideDeferrable(l)) {
            // TF's stride-2 output o is its stride-1 output 2·o: run stride 1 (padded/cropped as TF's stride-1 conv with
            // the same padding), then keep rows cropBefore + 2·o and columns likewise
            int fullH = s.in().h() + s.padTop() + s.padBottom() - s.k() + 1;
            int fullW = s.in().w() + s.padLeft() + s.padRight() - s.k() + 1;
            KpuAxisPlan rows = KpuAxisPlan.of(s.in().h(), s.k(), 1, s.padTop(), s.padBottom(), fullH, false);
            KpuAxisPlan cols = KpuAxisPlan.of(s.in().w(), s.k(), 1, s.padLeft(), s.padRight(), fullW, true);
            if (rows != null && cols != null && rows.cropBefore() + 2 * (s.out().h() - 1) < rows.kpuOut()
                    && cols.cropBefore() + 2 * (s.out().w() - 1) < cols.kpuOut()) {
                int kpuInH = s.in().h() + rows.padBefore() + rows.padAfter();
                int kpuInW = s.in().w() + cols.padBefore() + cols.padAfter();
                if (kpuInH >= 4 && kpuInH <= 256 && kpuInW >= 4 && kpuInW <= 512) {
                    m = new ConvMapping(rows, cols, false, 0, 0, true);
                }
            }
            mappings.put(l.id(), m);
            return m;
        }
        KpuAxisPlan rows = KpuAxisPlan.of(s.in().h(), s.k(), s.stride(), s.padTop(), s.padBottom(), s.out().h(), false);
        KpuAxisPlan cols = KpuAxisPlan.of(s.in().w(), s.k(), s.stride(), s.padLeft(), s.padRight(), s.out().w(), true);
        if (rows != null && cols != null) {
            if (s.stride() == 2 && (rows.padBefore() + rows.padAfter() + cols.padBefore() + cols.padAfter() > 0)) {
                rows = rows.evenTotal(s.in().h());
                cols = cols.evenTotal(s.in().w());
            }
            boolean defer = s.depthwise() && s.stride() == 2 && strideDeferrable(l);
            m = new ConvMapping(rows, cols, defer, 0, 0);
            boolean impossible = (s.depthwise() && s.stride() == 2 && !defer) || (v3 && (m.needsCpu() || defer && m.prePads()));
            int kpuInH = s.in().h() + rows.padBefore() + rows.padAfter();
            int kpuInW = s.in().w() + cols.padBefore() + cols.padAfter();
            if (kpuInH < 4 || kpuInH > 256 || kpuInW < 4 || kpuInW > 512) {
                impossible = true;
            }
            if (impossible) {
                m = null;
            }
        }
        mappings.put(l.id(), m);
        return m;
    }

    /** A depthwise stride-2 conv whose sole consumer is a stride-1 1×1 KPU conv, which can down-sample for it. */
    private boolean strideDeferrable(Layer l) {
        String c = soleConsumer(l.id());
        return c != null && g.layer(c).params() instanceof Conv2D pw && pw.kernelH() == 1 && pw.kernelW() == 1
                && pw.strideH() == 1 && pw.strideW() == 1 && kpuReason(g.layer(c)) == null;
    }

    private String geometryReason(Layer l) {
        ConvSpec s = spec(l);
        int kpuH = s.in().h();
        int kpuW = s.in().w();
        if (kpuH < 4 || kpuH > 256 || kpuW < 4 || kpuW > 512) {
            return "its input " + kpuW + "×" + kpuH + " (W×H) is outside the KPU bounds 4 ≤ H ≤ 256, 4 ≤ W ≤ 512";
        }
        if (s.depthwise() && s.stride() == 2 && !strideDeferrable(l)) {
            return "a depthwise stride-2 conv must be followed by a 1×1 conv that takes over its down-sampling";
        }
        String pads = "(" + s.padTop() + "," + s.padBottom() + "),(" + s.padLeft() + "," + s.padRight() + ")";
        if (rules == QuantRules.V3) {
            return "its TensorFlow padding " + pads + " with stride " + s.stride() + " needs CPU padding or cropping around the "
                    + "KPU layer, and kmodel V3 has no layer for that";
        }
        return "its TensorFlow padding " + pads + " with stride " + s.stride() + " cannot be expressed on the KPU";
    }

    /** Null when the conv's kernel, stride, channels and activation suit the KPU, else why not (a user-facing sentence). */
    private String kpuReason(Layer l) {
        int kh;
        int kw;
        int sh;
        int sw;
        int dh;
        int dw;
        int outC;
        ActivationFn act;
        if (l.params() instanceof Conv2D c) {
            kh = c.kernelH();
            kw = c.kernelW();
            sh = c.strideH();
            sw = c.strideW();
            dh = c.dilationH();
            dw = c.dilationW();
            outC = c.filters();
            act = c.activation();
        } else if (l.params() instanceof DepthwiseConv2D d) {
            if (d.depthMultiplier() != 1) {
                return "depth multiplier " + d.depthMultiplier() + " (the KPU does one kernel per channel)";
            }
            kh = d.kernelH();
            kw = d.kernelW();
            sh = d.strideH();
            sw = d.strideW();
            dh = d.dilationH();
            dw = d.dilationW();
            outC = -1;
            act = d.activation();
        } else {
            return "not a convolution";
        }
        if (kh != kw || (kh != 1 && kh != 3)) {
            return "kernel " + kh + "×" + kw + " (the KPU runs 1×1 and 3×3 only)";
        }
        if (sh != sw || (sh != 1 && sh != 2)) {
            return "stride " + sh + "×" + sw + " (the KPU runs strides 1 and 2)";
        }
        if (dh != 1 || dw != 1) {
            return "dilation " + dh + "×" + dw;
        }
        String in = g.inputsOf(l.id()).get(0);
        if (g.layer(in).params() instanceof ZeroPadding2D) {
            in = g.inputsOf(in).get(0);
        }
        TensorShape x = shapes.shape(in);
        if (x == null || !x.isImage()) {
            return "its input is not an H×W×C feature map";
        }
        if (x.c() > 1024 || outC > 1024) {
            return "more than 1024 channels";
        }
        TensorShape y = shapes.shape(l.id());
        if (y.h() < 4 || y.w() < 4) {
            return "output " + y.w() + "×" + y.h() + " is smaller than 4×4";
        }
        if (rules == QuantRules.V3 && !v3KpuActivation(act) && act.kind() != ActivationFn.Kind.SIGMOID) {
            return "activation " + act + " has no nncase 0.1 KPU table";
        }
        if (!act.isElementwise()) {
            return "activation " + act + " is not element-wise";
        }
        return null;
    }

    private static boolean v3KpuActivation(ActivationFn a) {
        switch (a.kind()) {
            case LINEAR:
            case RELU:
            case RELU6:
            case LEAKY_RELU:
                return true;
            default:
                return false;
        }
    }

    private void lowerConv(Layer l) throws CompileException {
        String why = kpuReason(l);
        if (why == null && mapping(l) == null) {
            why = geometryReason(l);
        }
        if (why != null) {
            throw unsupported(l, "this convolution cannot run on the KPU: " + why,
                    rules == QuantRules.V3 ? "apply the studio's fix for it, or compile for V4" : "apply the studio's fix for it");
        }
        ConvSpec spec = spec(l);
        ConvMapping map = mapping(l);
        if (map.shiftSelect()) {
            notes.add(l.name() + ": TensorFlow samples this stride-2 conv on odd rows/columns, which the KPU cannot pick; it runs "
                    + "at stride 1 and a shifted re-upload plus a 1×1 KPU layer pick the odd ones (exact, costs time and memory). "
                    + "ZeroPadding2D((1,1),(1,1)) + 'valid' avoids it.");
        }
        boolean depthwise = spec.depthwise();
        int k = spec.k();
        ActivationFn act = spec.act();
        PendingStride pending = pendingStride.get(spec.inputId());

        // the KPU input: uploaded as is, or padded on the CPU first
        PlannedValue in;
        if (map.prePads()) {
            PlannedValue src = asMainU8(spec.inputId());
            int ph = map.rows().padBefore() + map.rows().padAfter();
            int pw = map.cols().padBefore() + map.cols().padAfter();
            PlannedValue padded = new PlannedValue(l.name() + ":padded", Storage.MAIN_U8, src.c(), src.h() + ph, src.w() + pw, src.quant());
            steps.add(new PlanStep.PadU8(l.name(), src, padded, map.rows().padBefore(), map.rows().padAfter(),
                    map.cols().padBefore(), map.cols().padAfter()));
            in = new PlannedValue(l.name() + ":padded:kpu", Storage.KPU, padded.c(), padded.h(), padded.w(), padded.quant());
            steps.add(new PlanStep.Upload(l.name(), padded, in));
        } else {
            in = asKpu(spec.inputId());
        }

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
            String c = soleConsumer(l.id());
            int fused = c == null || depthwise || act.kind() == ActivationFn.Kind.SIGMOID || map.needsCpu() ? 0
                    : fusablePool(g.layer(c), spec.out());
            if (fused != 0) {
                poolType = fused;
                lastId = c;
                absorbed.add(c);
                TensorShape po = shapes.shape(c);
                outH = po.h();
                outW = po.w();
            }
        }
        boolean crops = cropRows != null && (cropRows.cropBefore() + cropRows.cropAfter() + cropCols.cropBefore()
                + cropCols.cropAfter() > 0);
        int outC = spec.out().c();

        // quantization
        Tensor kernel = l.weight(depthwise ? "depthwise_kernel" : "kernel");
        if (kernel == null) {
            throw new CompileException(l.name() + " has no weights (set or import them before compiling)", l.name());
        }
        int inC = in.c();
        float[] w = depthwise ? depthwiseToCkk(kernel, k) : hwioToOihw(kernel, k, inC, outC);
        float[] bias = biasOf(l, outC);
        KpuWeights qw = KpuWeights.quantize(w, outC, opt.weightBits(), rules);
        boolean sigmoidOnCpu = act.kind() == ActivationFn.Kind.SIGMOID && rules == QuantRules.V3;
        ValueRange outRange = sigmoidOnCpu ? cal.beforeActivation(l.id()) : cal.output(l.id());
        QuantParam outQ = QuantParam.of(outRange, rules);
        long[][] bnAct = bnAndActivation(l, in.quant(), qw, bias, act, outQ);
        KpuConvOffsets offsets = KpuConvOffsets.of(k, in.quant(), qw.param(), rules);
        String outName = g.layer(lastId).name();
        String suffix = crops ? ":uncropped" : map.sliceStride() ? ":stride1" : "";
        PlannedValue kpuOut = new PlannedValue(outName + suffix, Storage.KPU, outC, outH, outW, outQ);
        boolean needsMain = sigmoidOnCpu || crops || map.shiftSelect() || map.sliceStride() || g.outputIds().contains(lastId)
                || anyConsumerNeedsMain(lastId);
        PlannedValue mainOut = needsMain
                ? new PlannedValue(outName + suffix + ":main", Storage.MAIN_U8, outC, outH, outW, outQ) : null;
        KpuConvPlan plan = new KpuConvPlan(l.name(), in, kpuOut, mainOut, k, depthwise, poolType, qw.q(), opt.weightBits(),
                offsets, bnAct[0], bnAct[1]);
        checkWeightLoads(l, plan);
        steps.add(new PlanStep.KpuConv(l.name(), plan));
        if (map.deferStride()) {
            TensorShape full = TensorShape.hwc(outH, outW, outC);
            put(l.id(), kpuOut);
            pendingStride.put(l.id(), new PendingStride(map.rows(), map.cols(), full));
            return;
        }
        if (map.shiftSelect()) {
            lowerShiftSelect(l, mainOut, map, outQ, needsMainAfterSelect(l.id()));
            return;
        }
        if (map.sliceStride()) {
            TensorShape o = spec.out();
            PlannedValue sliced = new PlannedValue(outName, Storage.MAIN_U8, outC, o.h(), o.w(), outQ);
            steps.add(new PlanStep.StridedSliceU8(l.name(), mainOut, sliced, map.rows().cropBefore(), map.cols().cropBefore(), 2));
            put(l.id(), sliced);
            return;
        }
        if (sigmoidOnCpu) {
            PlannedValue f = new PlannedValue(l.name() + ":pre", Storage.MAIN_F32, outC, outH, outW, null);
            steps.add(new PlanStep.Dequantize(l.name(), mainOut, f));
            PlannedValue sg = floatValue(g.layer(lastId), outC, outH, outW);
            steps.add(new PlanStep.Logistic(l.name(), f, sg));
            put(lastId, sg);
            if (!lastId.equals(l.id())) {
                put(l.id(), sg);
            }
            return;
        }
        if (crops) {
            TensorShape o = shapes.shape(lastId);
            PlannedValue cropped = new PlannedValue(outName, Storage.MAIN_U8, outC, o.h(), o.w(), outQ);
            steps.add(new PlanStep.PadU8(l.name(), mainOut, cropped, -cropRows.cropBefore(), -cropRows.cropAfter(),
                    -cropCols.cropBefore(), -cropCols.cropAfter()));
            put(lastId, cropped);
        } else {
            put(lastId, kpuOut);
            if (mainOut != null) {
                put(lastId, mainOut);
            }
        }
        if (!lastId.equals(l.id())) {
            reps.put(l.id(), reps.get(lastId));
        }
    }

    /**
     * The BN words and activation-table words of a KPU layer, by the target's nncase rules (kpu-arith.md §4.5–4.6):
     * V3 scales BN to 1024 × the output's quantized value and uses rc5's fixed tables; V4 fits a table between the
     * pre-activation range and the output range (they are one for linear/ReLU/ReLU6, which are clamps).
     */
    private long[][] bnAndActivation(Layer l, QuantParam inQ, KpuWeights qw, float[] bias, ActivationFn act, QuantParam outQ) {
        if (rules == QuantRules.V3) {
            KpuBatchNorm bn = KpuBatchNorm.v3(inQ.scale(), qw.param().scale(), outQ, qw.equalization(), bias);
            KpuActivationTable t = act.kind() == ActivationFn.Kind.LEAKY_RELU ? KpuActivationTable.v3Leaky(act.alpha(), outQ.zeroPoint())
                    : KpuActivationTable.v3Linear();
            return new long[][] {bn.words(), t.words()};
        }
        boolean clampOnly = act.kind() == ActivationFn.Kind.LINEAR || act.kind() == ActivationFn.Kind.RELU
                || act.kind() == ActivationFn.Kind.RELU6;
        QuantParam yq = clampOnly ? outQ : QuantParam.v4(cal.beforeActivation(l.id()));
        KpuBatchNorm bn = KpuBatchNorm.v4((float) inQ.scale(), (float) qw.param().scale(), (float) yq.scale(), qw.equalization(), bias);
        float lo = act.kind() == ActivationFn.Kind.RELU || act.kind() == ActivationFn.Kind.RELU6 ? 0f : Float.NEGATIVE_INFINITY;
        float hi = act.kind() == ActivationFn.Kind.RELU6 ? 6f : Float.POSITIVE_INFINITY;
        KpuActivationTable t = KpuActivationTable.v4Fitted(yq, outQ, lo, hi, clampOnly ? v -> v : ActivationFunctions.of(act), bn.sAct());
        return new long[][] {bn.words(), t.words()};
    }

    /** The KPU streams weights in at most 64 loads (6-bit load_time) of at most one load's worth of output channels. */
    private void checkWeightLoads(Layer l, KpuConvPlan plan) throws CompileException {
        if (plan.loads() > 64 || plan.paraSize() >= (1 << 17)) {
            throw new CompileException(String.format(java.util.Locale.ROOT, "%s: its %,d weight bytes need %d weight loads of at most "
                    + "%,d B, but the KPU takes at most 64 weight loads per layer. Fix: fewer input or output channels (split the "
                    + "layer), or a 1×1 kernel.", l.name(), plan.weightBytes(), plan.loads(), plan.loadLimitBytes()), l.name());
        }
    }

    private boolean needsMainAfterSelect(String id) {
        return g.outputIds().contains(id) || anyConsumerNeedsMain(id);
    }

    /**
     * The V3 way to pick TensorFlow's odd sampling grid: the full-resolution output (in main memory, with W + 1 bytes
     * of slack) is uploaded again starting {@code shiftRows} rows and {@code shiftCols} columns later, and a 1×1 KPU
     * layer with identity weights keeps the top-left pixel of every 2×2 (pool type 5). Bit-exact: with weights 255·I
     * and the input's own quantization, BN and the rc5 activation table reproduce every uint8 value.
     */
    private void lowerShiftSelect(Layer l, PlannedValue full, ConvMapping map, QuantParam q, boolean needsMain) {
        int c = full.c();
        int h = full.h();
        int w = full.w();
        full.reserveSlack(w + 1);
        PlannedValue shifted = new PlannedValue(l.name() + ":shifted", Storage.KPU, c, h, w, q);
        steps.add(new PlanStep.Upload(l.name(), full, shifted, map.shiftRows() * w + map.shiftCols()));
        // a V3 file has one weight width for every KPU layer (header flag), so the identity follows the model's
        int bits = opt.weightBits();
        int one = (1 << bits) - 1;
        int[] weights = new int[c * c];
        for (int i = 0; i < c; i++) {
            weights[i * c + i] = one;
        }
        float[] ones = new float[c];
        java.util.Arrays.fill(ones, 1f);
        QuantParam wq = new QuantParam(one, 0, bits);
        KpuBatchNorm bn = KpuBatchNorm.v3(q.scale(), wq.scale(), q, ones, new float[c]);
        KpuConvOffsets offsets = KpuConvOffsets.of(1, q, wq, QuantRules.V3);
        PlannedValue out = new PlannedValue(l.name(), Storage.KPU, c, h / 2, w / 2, q);
        PlannedValue mainOut = needsMain ? new PlannedValue(l.name() + ":main", Storage.MAIN_U8, c, h / 2, w / 2, q) : null;
        steps.add(new PlanStep.KpuConv(l.name() + " (odd-grid pick)", new KpuConvPlan(l.name() + " (odd-grid pick)", shifted, out,
                mainOut, 1, false, 5, weights, bits, offsets, bn.words(), KpuActivationTable.v3Linear().words())));
        put(l.id(), out);
        if (mainOut != null) {
            put(l.id(), mainOut);
        }
    }

    /** Pool type for a MaxPooling2D/AveragePooling2D the KPU can apply after this conv, or 0. */
    private int fusablePool(Layer pool, TensorShape convOut) {
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

    private static float[] biasOf(Layer l, int n) {
        Tensor b = l.weight("bias");
        float[] out = new float[n];
        if (b != null) {
            System.arraycopy(b.data(), 0, out, 0, n);
        }
        return out;
    }

    // ------------------------------------------------------------------ Dense

    private void lowerDense(Layer l, Dense d) throws CompileException {
        Tensor kernel = l.weight("kernel");
        if (kernel == null) {
            throw new CompileException(l.name() + " has no weights (set or import them before compiling)", l.name());
        }
        PlannedValue inF = asFloat(producer(l, 0));
        if (inF.h() != 1 || inF.w() != 1) {
            throw unsupported(l, "Dense on a " + inF.h() + "×" + inF.w() + " feature map", "add a Flatten before it");
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
        float[] bias = biasOf(l, outC);
        boolean kpu = (long) inC * outC >= opt.kpuDenseMinWeights() && inC <= 1024 && outC <= 1024
                && (rules == QuantRules.V4 || v3KpuActivation(d.activation()));
        if (!kpu) {
            ActivationFn act = d.activation();
            if (act.kind() != ActivationFn.Kind.LINEAR && act.kind() != ActivationFn.Kind.RELU && act.kind() != ActivationFn.Kind.RELU6) {
                PlannedValue pre = new PlannedValue(l.name() + ":pre", Storage.MAIN_F32, outC, 1, 1, null);
                steps.add(new PlanStep.FullyConnected(l.name(), inF, pre, wOi, bias, ActivationFn.LINEAR));
                put(l.id(), pre);
                lowerStandaloneActivation(l, act, pre);
                return;
            }
            PlannedValue out = floatValue(l, outC, 1, 1);
            steps.add(new PlanStep.FullyConnected(l.name(), inF, out, wOi, bias, act));
            put(l.id(), out);
            return;
        }
        // KPU: quantize → 4×4 map → 1×1 conv → pixel (0,0)
        String inId = producer(l, 0);
        QuantParam inQ = QuantParam.of(cal.output(inId), rules);
        PlannedValue inU8 = reps.get(inId).get(Storage.MAIN_U8);
        if (inU8 == null || !sameQuant(inU8.quant(), inQ)) {
            inU8 = new PlannedValue(l.name() + ":in_q", Storage.MAIN_U8, inC, 1, 1, inQ);
            steps.add(new PlanStep.Quantize(l.name(), inF, inU8));
        }
        PlannedValue padded = new PlannedValue(l.name() + ":in4x4", Storage.KPU, inC, 4, 4, inU8.quant());
        if (rules == QuantRules.V3) {
            steps.add(new PlanStep.AddPadding(l.name(), inU8, padded));
        } else {
            PlannedValue mainPadded = new PlannedValue(l.name() + ":in4x4:main", Storage.MAIN_U8, inC, 4, 4, inU8.quant());
            steps.add(new PlanStep.PadU8(l.name(), inU8, mainPadded, 0, 3, 0, 3));
            steps.add(new PlanStep.Upload(l.name(), mainPadded, padded));
        }
        KpuWeights qw = KpuWeights.quantize(wOi, outC, opt.weightBits(), rules);
        QuantParam outQ = QuantParam.of(cal.output(l.id()), rules);
        long[][] bnAct = bnAndActivation(l, inU8.quant(), qw, bias, d.activation(), outQ);
        KpuConvOffsets offsets = KpuConvOffsets.of(1, inU8.quant(), qw.param(), rules);
        PlannedValue kpuOut = new PlannedValue(l.name() + ":out4x4", Storage.KPU, outC, 4, 4, outQ);
        PlannedValue mainOut = new PlannedValue(l.name() + ":out4x4:main", Storage.MAIN_U8, outC, 4, 4, outQ);
        KpuConvPlan densePlan = new KpuConvPlan(l.name(), padded, kpuOut, mainOut, 1, false, 0, qw.q(), opt.weightBits(), offsets,
                bnAct[0], bnAct[1]);
        checkWeightLoads(l, densePlan);
        steps.add(new PlanStep.KpuConv(l.name(), densePlan));
        PlannedValue result = new PlannedValue(l.name(), Storage.MAIN_U8, outC, 1, 1, outQ);
        if (rules == QuantRules.V3) {
            steps.add(new PlanStep.RemovePadding(l.name(), mainOut, result));
        } else {
            steps.add(new PlanStep.PadU8(l.name(), mainOut, result, 0, -3, 0, -3));
        }
        put(l.id(), result);
    }

    private void lowerStandaloneActivation(Layer l, ActivationFn act, PlannedValue in) throws CompileException {
        if (act.kind() == ActivationFn.Kind.SOFTMAX) {
            PlannedValue out = floatValue(l, in.c(), 1, 1);
            steps.add(new PlanStep.Softmax(l.name(), in, out));
            put(l.id(), out);
        } else if (act.kind() == ActivationFn.Kind.SIGMOID) {
            PlannedValue out = floatValue(l, in.c(), in.h(), in.w());
            steps.add(new PlanStep.Logistic(l.name(), in, out));
            put(l.id(), out);
        } else {
            throw unsupported(l, "activation " + act + " after a CPU layer", "use linear, relu, relu6, sigmoid or softmax here");
        }
    }

    // ------------------------------------------------------------------ CPU layers

    private void lowerFlatten(Layer l) throws CompileException {
        PlannedValue in = asFloat(producer(l, 0));
        TensorShape s = shapes.shape(l.id());
        if (l.params() instanceof Reshape r && r.dynamic()) {
            throw unsupported(l, "a Reshape whose shape is computed at run time (SHAPE → STRIDED_SLICE → PACK)",
                    "apply the studio's fix: make it a static Reshape");
        }
        // values other than H×W×C maps are stored flat in TensorFlow's row-major order, so reshaping them moves no
        // data; a map (stored CHW) is flattened in HWC order, whatever the (non-image) target shape
        boolean toMap = s.isImage() && (s.h() != 1 || s.w() != 1);
        if (toMap || s.elements() != in.elements()) {
            throw unsupported(l, "Reshape from " + in.h() + "×" + in.w() + "×" + in.c() + " to " + s
                    + " (only flattening to a vector or an N×k matrix is supported)", "use Flatten");
        }
        if (in.h() == 1 && in.w() == 1) {
            reps.put(l.id(), reps.get(producer(l, 0)));
            return;
        }
        PlannedValue out = floatValue(l, (int) s.elements(), 1, 1);
        steps.add(new PlanStep.FlattenHwc(l.name(), in, out));
        put(l.id(), out);
    }

    private void lowerConcat(Layer l, Concatenate c) throws CompileException {
        TensorShape s = shapes.shape(l.id());
        int axis = c.axis() < 0 ? s.rank() + 1 + c.axis() : c.axis();
        // channels of maps (CHW: one block per input) or of vectors; or the first axis of flat N×k… tensors (stored
        // row-major): both are a concatenation of the inputs' bytes
        boolean channels = axis == s.rank() && (s.rank() == 1 || s.isImage());
        boolean rows = axis == 1 && s.rank() >= 2 && !s.isImage();
        if (!channels && !rows) {
            throw unsupported(l, "Concatenate on axis " + c.axis() + " of " + s + " (only the channel axis of feature maps and "
                    + "vectors, or the first axis of N×k tensors, is supported)", "concatenate channels");
        }
        List<PlannedValue> ins = new ArrayList<>();
        for (int i = 0; i < g.inputsOf(l.id()).size(); i++) {
            ins.add(asFloat(producer(l, i)));
        }
        PlannedValue first = ins.get(0);
        PlannedValue out = rows ? floatValue(l, (int) s.elements(), 1, 1) : floatValue(l, s.c(), first.h(), first.w());
        steps.add(new PlanStep.Concat(l.name(), ins, out));
        put(l.id(), out);
    }

    private void lowerCpuPool(Layer l) throws CompileException {
        boolean max = l.params() instanceof MaxPooling2D;
        int ph;
        int pw;
        int sh;
        int sw;
        Padding pad;
        if (max) {
            MaxPooling2D m = (MaxPooling2D) l.params();
            ph = m.poolH();
            pw = m.poolW();
            sh = m.strideH();
            sw = m.strideW();
            pad = m.padding();
        } else {
            AveragePooling2D a = (AveragePooling2D) l.params();
            ph = a.poolH();
            pw = a.poolW();
            sh = a.strideH();
            sw = a.strideW();
            pad = a.padding();
        }
        TensorShape x = shapes.shape(producer(l, 0));
        TensorShape s = shapes.shape(l.id());
        ConvGeometry gh = ConvGeometry.of(x.h(), ph, sh, 1, pad);
        ConvGeometry gw = ConvGeometry.of(x.w(), pw, sw, 1, pad);
        PlannedValue in;
        PlannedValue out;
        if (max && rules == QuantRules.V3) {
            in = asMainU8(producer(l, 0));
            out = new PlannedValue(l.name(), Storage.MAIN_U8, s.c(), s.h(), s.w(), in.quant());
        } else {
            in = asFloat(producer(l, 0));
            out = floatValue(l, s.c(), s.h(), s.w());
        }
        steps.add(new PlanStep.Pool(l.name(), max, in, out, ph, pw, sh, sw, gh.padBefore(), gw.padBefore()));
        put(l.id(), out);
    }

    // ------------------------------------------------------------------ value conversions

    private PlannedValue asFloat(String id) throws CompileException {
        Map<Storage, PlannedValue> r = reps.get(id);
        PlannedValue f = r.get(Storage.MAIN_F32);
        if (f != null) {
            return f;
        }
        PlannedValue u8 = r.get(Storage.MAIN_U8);
        if (u8 == null) {
            throw new CompileException("internal: " + g.layer(id).name() + " has no main-memory copy", g.layer(id).name());
        }
        f = new PlannedValue(g.layer(id).name() + ":f32", Storage.MAIN_F32, u8.c(), u8.h(), u8.w(), null);
        steps.add(new PlanStep.Dequantize(g.layer(id).name(), u8, f));
        r.put(Storage.MAIN_F32, f);
        return f;
    }

    private PlannedValue asMainU8(String id) throws CompileException {
        Map<Storage, PlannedValue> r = reps.get(id);
        PlannedValue u8 = r.get(Storage.MAIN_U8);
        if (u8 != null) {
            return u8;
        }
        PlannedValue f = asFloat(id);
        QuantParam q = QuantParam.of(cal.output(id), rules);
        u8 = new PlannedValue(g.layer(id).name() + ":u8", Storage.MAIN_U8, f.c(), f.h(), f.w(), q);
        steps.add(new PlanStep.Quantize(g.layer(id).name(), f, u8));
        r.put(Storage.MAIN_U8, u8);
        return u8;
    }

    private PlannedValue asKpu(String id) throws CompileException {
        Map<Storage, PlannedValue> r = reps.get(id);
        PlannedValue k = r.get(Storage.KPU);
        if (k != null) {
            return k;
        }
        PlannedValue u8 = asMainU8(id);
        if (u8.h() < 4 || u8.w() < 4) {
            throw new CompileException(g.layer(id).name() + ": a " + u8.w() + "×" + u8.h() + " map is too small for the KPU (4×4 minimum)",
                    g.layer(id).name());
        }
        k = new PlannedValue(g.layer(id).name() + ":kpu", Storage.KPU, u8.c(), u8.h(), u8.w(), u8.quant());
        steps.add(new PlanStep.Upload(g.layer(id).name(), u8, k));
        r.put(Storage.KPU, k);
        return k;
    }

    private boolean anyConsumerNeedsMain(String id) {
        for (String c : g.consumersOf(id)) {
            Layer cl = g.layer(c);
            if (cl.params() instanceof ZeroPadding2D) {
                String cc = soleConsumer(c);
                if (cc != null && absorbsPadding(g.layer(cc))) {
                    ConvMapping m = mapping(g.layer(cc));
                    if (m != null && !m.prePads()) {
                        continue;
                    }
                }
                return true;
            }
            if (!((cl.params() instanceof Conv2D || cl.params() instanceof DepthwiseConv2D) && kpuReason(cl) == null)) {
                return true;
            }
            ConvMapping m = mapping(cl);
            if (m == null || m.prePads()) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameQuant(QuantParam a, QuantParam b) {
        return a.zeroPoint() == b.zeroPoint() && Math.abs(a.scale() - b.scale()) <= 1e-6 * Math.abs(b.scale());
    }

    private PlannedValue floatValue(Layer l, int c, int h, int w) {
        return new PlannedValue(l.name(), Storage.MAIN_F32, c, h, w, null);
    }

    private void put(String id, PlannedValue v) {
        reps.computeIfAbsent(id, k -> new EnumMap<>(Storage.class)).put(v.storage(), v);
    }

    private String producer(Layer l, int port) {
        String p = g.inputsOf(l.id()).get(port);
        if (reps.get(p) == null) {
            throw new IllegalStateException("internal: " + g.layer(p).name() + " was not lowered before " + l.name());
        }
        return p;
    }

    private String soleConsumer(String id) {
        List<String> cs = g.consumersOf(id);
        return cs.size() == 1 && !g.explicitOutputs().contains(id) ? cs.get(0) : null;
    }

    private String targetName() {
        return rules == QuantRules.V3 ? "kmodel V3" : "kmodel V4";
    }

    private CompileException unsupported(Layer l, String what, String fix) {
        return new CompileException(l.name() + " (" + l.params().kerasName() + "): " + what + " — " + targetName()
                + " cannot run it. Fix: " + fix + ".", l.name());
    }

    private String alternatives(LayerParams p) {
        return rules == QuantRules.V3 ? "compile for V4, or replace the layer" : "replace the layer";
    }
}
