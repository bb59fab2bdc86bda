package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.quant.QuantParam;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.v4.V4Kmodel;

/**
 * Matches the layers of a kmodel run (kpu-sim traces) to the float tensors of the graph it was compiled from and
 * measures the error of each. Kmodel tensors are NCHW, float ones NHWC: each side is compared in C×H×W order, and a
 * kmodel tensor may hold its float tensor as a window ({@link TensorFit}: padded, uncropped, stride 1).
 *
 * <p>A kmodel our compiler wrote comes with its {@link LayerTensorMap}: each layer's value and IR tensor are known,
 * and uint8 values are dequantized with their own scale. Any other kmodel (nncase's) names no tensor: a trace is
 * matched to the float layer near the last match (in execution order) whose geometry fits best, by cosine (a layer
 * that only moves data — upload, pad, (de)quantize — may show a tensor already shown), V4
 * shapes come from the node bodies
 * ({@link V4TraceShapes}), and uint8 values are compared after the affine map that best fits them to the float ones.
 */
public record KmodelComparison(List<LayerMatch> layers, List<OutputMatch> outputs) {

    /** V3/V4 layer types that copy, convert or re-lay out a tensor without computing a new one. */
    private static final Set<String> MOVES = Set.of("K210_UPLOAD", "DEQUANTIZE", "QUANTIZE", "REQUANTIZE",
            "CHANNELWISE_DEQUANTIZE", "K210_REMOVE_PADDING", "K210_ADD_PADDING", "KPU_UPLOAD", "MEMORY_COPY", "TRANSPOSE", "PAD",
            "STRIDED_SLICE");

    /** How far (in float layers, execution order) from the last match the geometry match looks back. */
    private static final int NEAR = 24;

    /**
     * One kmodel layer and, when matched, the float layer and the error.
     *
     * @param shape  the kmodel tensor's [C, H, W], or null when unknown
     * @param window where the float tensor sits in it (null: not compared)
     * @param note   why the row has no comparison, or null
     * @param fit    the compared values (CHW), or null
     */
    public record LayerMatch(int index, String type, String unit, String floatLayer, ErrorStats stats, int[] shape,
                             TensorFit.Window window, String note, TensorFit.Fit fit) {
        public LayerMatch(int index, String type, String unit, String floatLayer, ErrorStats stats) {
            this(index, type, unit, floatLayer, stats, null, null, null, null);
        }
    }

    /** One model output: float and K210 values (flattened in the float model's NHWC order) and the error. */
    public record OutputMatch(int index, float[] floatValues, float[] k210Values, ErrorStats stats) {
    }

    /** A kmodel from anywhere, V3 shapes from its traces (V4 outputs and CPU nodes stay flat). */
    public static KmodelComparison of(Graph g, EvaluationResult ref, RunResult run) throws CompileException {
        return of(g, ref, run, (Kmodel) null);
    }

    /** A kmodel from anywhere (nncase's or ours read from a file): layers matched by geometry. */
    public static KmodelComparison of(Graph g, EvaluationResult ref, RunResult run, Kmodel km) throws CompileException {
        V4TraceShapes.Result shapes = km instanceof V4Kmodel v4 ? V4TraceShapes.of(v4.model(), run) : null;
        List<String> order = g.topologicalOrder();
        List<LayerMatch> matches = new ArrayList<>();
        int cursor = -1;
        for (LayerTrace t : run.layers()) {
            KmodelTensor o = t.output();
            if (o == null) {
                matches.add(new LayerMatch(t.index(), t.type(), t.unit().name(), null, null, null, null, "no output snapshot", null));
                continue;
            }
            V4TraceShapes.Shape s = shapes == null ? null : shapes.nodes().get(t.index());
            int[] chw = s != null ? s.chw() : chw(o.shape());
            float[] k = o.toFloatArray();
            if (chw != null && (long) chw[0] * chw[1] * chw[2] != k.length) {
                chw = null;
            } else if (chw != null && s != null && s.hwc()) {
                k = TensorFit.hwcToChw(k, chw[0], chw[1] * chw[2]);
            }
            boolean moves = MOVES.contains(t.type().toUpperCase(Locale.ROOT));
            boolean dequantized = o.type() != ElementType.UINT8;
            // candidates: float tensors near the last match (branches run in another order than the float graph's
            // topological one); the best cosine wins (V3's odd-grid pick layer computes nothing new: it may show the
            // tensor the conv before it showed)
            int lo = cursor < 0 ? 0 : Math.max(0, cursor - NEAR);
            int hi = cursor < 0 ? order.size() : Math.min(order.size(), cursor + 2 * NEAR);
            String matched = null;
            TensorFit.Fit fit = null;
            int at = -1;
            for (int i = lo; i < hi; i++) {
                Layer l = g.layer(order.get(i));
                if (!moves && reshapesOnly(l.params())) {
                    continue;
                }
                Tensor f = ref.tensor(l.id());
                TensorFit.Fit candidate = f == null ? null : TensorFit.fit(k, chw, f, dequantized);
                if (candidate != null && (fit == null || candidate.stats().cosine() > fit.stats().cosine() + 1e-6)) {
                    fit = candidate;
                    at = i;
                }
            }
            if (fit != null) {
                // a padded tensor: prefer a float pad or reshape right after that holds it whole
                for (int j = at + 1; !fit.window().whole() && j < order.size() && padsOrReshapes(g.layer(order.get(j)).params()); j++) {
                    Tensor fj = ref.tensor(order.get(j));
                    TensorFit.Fit whole = fj == null ? null : TensorFit.fit(k, chw, fj, dequantized);
                    if (whole != null && whole.window().whole()) {
                        fit = whole;
                        at = j;
                    }
                }
                matched = g.layer(order.get(at)).name();
                cursor = at;
            }
            matches.add(row(t, chw, matched, fit, matched == null ? "no float tensor of this geometry" : null));
        }
        List<V4TraceShapes.Shape> outShapes = shapes == null ? List.of() : shapes.outputs();
        return new KmodelComparison(matches, outputs(ref, run, i -> i < outShapes.size() ? outShapes.get(i) : null));
    }

    /** A kmodel our compiler wrote, with the map it recorded; {@code prepared} is the compiler's prepared graph. */
    public static KmodelComparison of(Graph prepared, EvaluationResult ref, RunResult run, LayerTensorMap map) throws CompileException {
        List<LayerMatch> matches = new ArrayList<>();
        for (LayerTrace t : run.layers()) {
            LayerTensorMap.Entry e = map.layer(t.index());
            PlannedValue v = e == null ? null : e.value();
            int[] chw = v == null ? null : new int[] {v.c(), v.h(), v.w()};
            KmodelTensor o = t.output();
            Layer l = e == null || e.tensor() == null ? null : prepared.layerNamed(e.tensor());
            Tensor f = l == null ? null : ref.tensor(l.id());
            String note = null;
            TensorFit.Fit fit = null;
            if (o == null) {
                note = "no output snapshot";
            } else if (f == null) {
                note = "no float counterpart" + (v == null ? "" : " (" + v.name() + ")");
            } else if (o.elementCount() != v.elements()) {
                note = "the snapshot holds " + o.elementCount() + " values, " + v.name() + " " + v.elements();
            } else {
                fit = TensorFit.fit(dequantize(o, v), chw, f, true);
                note = fit == null ? v.name() + " does not hold " + l.name() + "'s " + java.util.Arrays.toString(f.shape()) : null;
            }
            matches.add(row(t, chw, fit == null ? null : l.name(), fit, note));
        }
        return new KmodelComparison(matches, outputs(ref, run, i -> null));
    }

    private static LayerMatch row(LayerTrace t, int[] chw, String matched, TensorFit.Fit fit, String note) {
        return new LayerMatch(t.index(), t.type(), t.unit().name(), fit == null ? null : matched, fit == null ? null : fit.stats(),
                chw, fit == null ? null : fit.window(), fit == null ? note : null, fit);
    }

    /** The snapshot as real numbers: uint8 codes through the value's own quantization. */
    static float[] dequantize(KmodelTensor o, PlannedValue v) {
        float[] x = o.toFloatArray();
        QuantParam q = v.quant();
        if (o.type() == ElementType.UINT8 && v.storage() != Storage.MAIN_F32 && q != null) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) ((x[i] - q.zeroPoint()) / q.scale());
            }
        }
        return x;
    }

    private static List<OutputMatch> outputs(EvaluationResult ref, RunResult run, java.util.function.IntFunction<V4TraceShapes.Shape> shapes)
            throws CompileException {
        List<OutputMatch> outs = new ArrayList<>();
        for (int i = 0; i < run.outputs().size() && i < ref.outputIds().size(); i++) {
            Tensor f = ref.output(i);
            KmodelTensor k = run.output(i);
            float[] kv = k.toFloatArray();
            if (kv.length != f.size()) {
                throw new CompileException("output " + i + " of the kmodel has " + kv.length + " values, the float model's has "
                        + f.size() + ": is this kmodel compiled from this model?", null);
            }
            V4TraceShapes.Shape s = shapes.apply(i);
            int[] fs = f.shape();
            // the kmodel output is C×H×W (NCHW) unless a transpose to NHWC wrote it; the float one H×W×C
            if (fs.length == 3 && (s == null || !s.hwc())) {
                kv = toHwc(kv, new int[] {fs[2], fs[0], fs[1]});
            }
            outs.add(new OutputMatch(i, f.data().clone(), kv, ErrorStats.of(f.data(), kv)));
        }
        return outs;
    }

    private static boolean reshapesOnly(LayerParams p) {
        return p instanceof Reshape || p instanceof Flatten || p instanceof Dropout;
    }

    private static boolean padsOrReshapes(LayerParams p) {
        return p instanceof ZeroPadding2D || reshapesOnly(p);
    }

    /** [C, H, W] from a trace shape (leading 1s dropped), or null (a flat snapshot: its geometry is unknown). */
    static int[] chw(int[] shape) {
        List<Integer> d = new ArrayList<>();
        for (int s : shape) {
            d.add(s);
        }
        while (d.size() > 3 && d.get(0) == 1) {
            d.remove(0);
        }
        if (d.size() == 3) {
            return new int[] {d.get(0), d.get(1), d.get(2)};
        }
        return null;
    }

    /** C×H×W values in H×W×C order. */
    public static float[] toHwc(float[] chwData, int[] chw) {
        int c = chw[0];
        int hw = chw[1] * chw[2];
        float[] out = new float[chwData.length];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < hw; i++) {
                out[i * c + ch] = chwData[ch * hw + i];
            }
        }
        return out;
    }

    /** Fits q ≈ a·x + b (least squares), maps q back to x̂ = (q − b)/a and compares x̂ with x. */
    static ErrorStats affineStats(float[] x, float[] q) {
        return ErrorStats.of(x, TensorFit.affineBack(x, q));
    }
}
