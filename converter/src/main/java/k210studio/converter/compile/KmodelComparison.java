package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.List;
import k210studio.converter.eval.EvaluationResult;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunResult;

/**
 * Matches the layers of a kmodel run (kpu-sim traces) to the layers of the float graph it was compiled from and
 * measures the error of each. A kmodel does not name its layers, so a trace is matched to the next float layer (in
 * execution order) whose output has the same channel, height and width; uint8 outputs are compared after the affine
 * map q ≈ a·x + b that best fits them to the float values (the layer's scale and zero point, which the file does not
 * store), float outputs directly.
 */
public record KmodelComparison(List<LayerMatch> layers, List<OutputMatch> outputs) {

    /** V3/V4 layer types that copy, convert or re-lay out a tensor without computing a new one. */
    private static final java.util.Set<String> MOVES = java.util.Set.of("K210_UPLOAD", "DEQUANTIZE", "QUANTIZE", "REQUANTIZE",
            "CHANNELWISE_DEQUANTIZE", "K210_REMOVE_PADDING", "K210_ADD_PADDING", "KPU_UPLOAD", "MEMORY_COPY", "TRANSPOSE");

    /** One kmodel layer and, when matched, the float layer and the error. */
    public record LayerMatch(int index, String type, String unit, String floatLayer, ErrorStats stats) {
    }

    /** One model output: float and K210 values (flattened in the float model's NHWC order) and the error. */
    public record OutputMatch(int index, float[] floatValues, float[] k210Values, ErrorStats stats) {
    }

    public static KmodelComparison of(Graph g, EvaluationResult ref, RunResult run) throws CompileException {
        List<String> order = g.topologicalOrder();
        List<LayerMatch> matches = new ArrayList<>();
        int cursor = 0;
        for (LayerTrace t : run.layers()) {
            KmodelTensor o = t.output();
            String matched = null;
            ErrorStats stats = null;
            if (o != null) {
                int[] chw = chw(o.shape());
                // a layer that only moves or converts data shows the tensor matched last; one that computes, a later one
                int from = MOVES.contains(t.type().toUpperCase(java.util.Locale.ROOT)) ? cursor : Math.min(cursor + 1, order.size());
                if (matches.stream().noneMatch(m -> m.floatLayer() != null)) {
                    from = 0;
                }
                boolean moves = MOVES.contains(t.type().toUpperCase(java.util.Locale.ROOT));
                for (int i = from; i < order.size() && chw != null; i++) {
                    if (!moves && i > cursor && reshapesOnly(g.layer(order.get(i)).params())) {
                        continue;
                    }
                    Tensor f = ref.tensor(order.get(i));
                    if (f != null && sameGeometry(f.shape(), chw)) {
                        float[] k = toHwc(o.toFloatArray(), chw);
                        stats = o.type() == ElementType.UINT8 ? affineStats(f.data(), k) : ErrorStats.of(f.data(), k);
                        matched = g.layer(order.get(i)).name();
                        cursor = i;
                        break;
                    }
                }
            }
            matches.add(new LayerMatch(t.index(), t.type(), t.unit().name(), matched, stats));
        }
        List<OutputMatch> outs = new ArrayList<>();
        for (int i = 0; i < run.outputs().size() && i < ref.outputIds().size(); i++) {
            Tensor f = ref.output(i);
            KmodelTensor k = run.output(i);
            float[] kv = k.toFloatArray();
            if (kv.length != f.size()) {
                throw new CompileException("output " + i + " of the kmodel has " + kv.length + " values, the float model's has "
                        + f.size() + ": is this kmodel compiled from this model?", null);
            }
            int[] chw = chw(k.shape());
            if (chw != null && f.rank() == 3 && sameGeometry(f.shape(), chw)) {
                kv = toHwc(kv, chw);
            }
            outs.add(new OutputMatch(i, f.data().clone(), kv, ErrorStats.of(f.data(), kv)));
        }
        return new KmodelComparison(matches, outs);
    }

    private static boolean reshapesOnly(k210studio.ir.layer.LayerParams p) {
        return p instanceof k210studio.ir.layer.Reshape || p instanceof k210studio.ir.layer.Flatten
                || p instanceof k210studio.ir.layer.Dropout;
    }

    /** [C, H, W] from a trace shape (leading 1s dropped; vectors are C×1×1), or null. */
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
        if (d.size() == 1) {
            return new int[] {d.get(0), 1, 1};
        }
        return null;
    }

    private static boolean sameGeometry(int[] nhwc, int[] chw) {
        if (nhwc.length == 3) {
            return nhwc[0] == chw[1] && nhwc[1] == chw[2] && nhwc[2] == chw[0];
        }
        if (nhwc.length == 1) {
            return chw[1] == 1 && chw[2] == 1 && nhwc[0] == chw[0];
        }
        return false;
    }

    static float[] toHwc(float[] chwData, int[] chw) {
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
        double n = x.length;
        double sx = 0;
        double sq = 0;
        double sxx = 0;
        double sxq = 0;
        for (int i = 0; i < x.length; i++) {
            sx += x[i];
            sq += q[i];
            sxx += (double) x[i] * x[i];
            sxq += (double) x[i] * q[i];
        }
        double den = n * sxx - sx * sx;
        double a = den == 0 ? 0 : (n * sxq - sx * sq) / den;
        double b = (sq - a * sx) / n;
        float[] back = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            back[i] = a == 0 ? (float) (sx / n) : (float) ((q[i] - b) / a);
        }
        return ErrorStats.of(x, back);
    }
}
