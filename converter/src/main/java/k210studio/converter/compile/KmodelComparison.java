package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.List;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.quant.QuantParam;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunResult;

/**
 * Matches the layers of a kmodel run (kpu-sim traces) to the float tensors of the graph it was compiled from and
 * measures the error of each. Kmodel tensors are NCHW, float ones NHWC: each side is compared in C×H×W order, and a
 * kmodel tensor may hold its float tensor as a window ({@link TensorFit}: padded, uncropped, stride 1).
 *
 * <p>A kmodel our compiler wrote comes with its {@link LayerTensorMap}: each layer's value and IR tensor are known,
 * and uint8 values are dequantized with their own scale. Any other kmodel (nncase's) names no tensor: layers are
 * matched by geometry ({@link GeometryMatch}), V4 shapes come from the node bodies ({@link V4TraceShapes}), and
 * uint8 values are compared after the affine map that best fits them to the float ones.
 */
public record KmodelComparison(List<LayerMatch> layers, List<OutputMatch> outputs) {

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

    /** A kmodel from anywhere (nncase's or ours read from a file): layers matched by geometry ({@link GeometryMatch}). */
    public static KmodelComparison of(Graph g, EvaluationResult ref, RunResult run, Kmodel km) throws CompileException {
        return GeometryMatch.match(List.of(g), List.of(ref), run, km);
    }

    /**
     * The same with the float tensors of several evaluations of one network (the imported graph first, whose outputs
     * are compared, then e.g. the compiler's prepared graph): each kmodel layer may match a tensor of either.
     */
    public static KmodelComparison of(List<Graph> graphs, List<EvaluationResult> refs, RunResult run, Kmodel km) throws CompileException {
        return GeometryMatch.match(graphs, refs, run, km);
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

    static LayerMatch row(LayerTrace t, int[] chw, String matched, TensorFit.Fit fit, String note) {
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

    static List<OutputMatch> outputs(EvaluationResult ref, RunResult run, java.util.function.IntFunction<V4TraceShapes.Shape> shapes)
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
