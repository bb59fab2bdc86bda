package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import k210studio.converter.eval.EvaluationResult;
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
 * Matches the traces of a kmodel that names no tensor (nncase's, or ours read back without its report) to float
 * tensors by geometry. The candidates are the float layers near the last match in execution order (branches run in
 * another order than the float graph's), each with its output in every evaluated graph (the imported one and the
 * compiler's prepared one: a BatchNormalization's output before an activation pushed past a concat exists only in the
 * first, a conv with its activation fused under the conv's name only in the second); the best cosine wins. A layer
 * that only moves data shows the tensor of the node that wrote its input when the file says which (V4 ranges),
 * else it may show a tensor already shown. A window fit (padded or stride-1 map) below cosine 0.5 is no match.
 */
final class GeometryMatch {
    /** V3/V4 layer types that copy, convert or re-lay out a tensor without computing a new one. */
    private static final Set<String> MOVES = Set.of("K210_UPLOAD", "DEQUANTIZE", "QUANTIZE", "REQUANTIZE",
            "CHANNELWISE_DEQUANTIZE", "K210_REMOVE_PADDING", "K210_ADD_PADDING", "KPU_UPLOAD", "MEMORY_COPY", "TRANSPOSE", "PAD",
            "STRIDED_SLICE");
    /** How far (in float layers, execution order) from the last match the search looks back. */
    private static final int NEAR = 24;
    private static final double WEAKEST_WINDOW = 0.5;

    private GeometryMatch() {
    }

    /** One float layer name with its output tensor in each graph that has it. */
    private record Slot(String name, List<Tensor> tensors, boolean reshapes, boolean padsOrReshapes) {
    }

    static KmodelComparison match(List<Graph> graphs, List<EvaluationResult> refs, RunResult run, Kmodel km) throws CompileException {
        V4TraceShapes.Result shapes = km instanceof V4Kmodel v4 ? V4TraceShapes.of(v4.model(), run) : null;
        List<Slot> slots = slots(graphs, refs);
        Map<String, Integer> slotOf = new HashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            slotOf.put(slots.get(i).name(), i);
        }
        List<KmodelComparison.LayerMatch> matches = new ArrayList<>();
        int cursor = -1;
        for (LayerTrace t : run.layers()) {
            KmodelTensor o = t.output();
            if (o == null) {
                matches.add(KmodelComparison.row(t, null, null, null, "no output snapshot"));
                continue;
            }
            V4TraceShapes.Shape s = shapes == null ? null : shapes.nodes().get(t.index());
            int[] chw = s != null ? s.chw() : KmodelComparison.chw(o.shape());
            float[] k = o.toFloatArray();
            if (chw != null && (long) chw[0] * chw[1] * chw[2] != k.length) {
                chw = null;
            } else if (chw != null && s != null && s.hwc()) {
                k = TensorFit.hwcToChw(k, chw[0], chw[1] * chw[2]);
            }
            boolean moves = MOVES.contains(t.type().toUpperCase(Locale.ROOT));
            boolean dequantized = o.type() != ElementType.UINT8;
            TensorFit.Fit fit = null;
            int at = -1;
            int producer = shapes == null ? -1 : shapes.producers().get(t.index());
            String carried = producer >= 0 ? matches.get(producer).floatLayer() : null;
            if (moves && carried != null) {
                at = slotOf.get(carried);
                fit = best(slots.get(at), k, chw, dequantized);
            }
            if (fit == null) {
                int lo = cursor < 0 ? 0 : Math.max(0, cursor - NEAR);
                int hi = cursor < 0 ? slots.size() : Math.min(slots.size(), cursor + 2 * NEAR);
                for (int i = lo; i < hi; i++) {
                    if (!moves && slots.get(i).reshapes()) {
                        continue;
                    }
                    TensorFit.Fit candidate = best(slots.get(i), k, chw, dequantized);
                    if (candidate != null && (fit == null || candidate.stats().cosine() > fit.stats().cosine() + 1e-6)) {
                        fit = candidate;
                        at = i;
                    }
                }
            }
            String note = "no float tensor of this geometry";
            if (fit != null && !fit.window().whole() && fit.stats().cosine() < WEAKEST_WINDOW) {
                note = String.format(Locale.ROOT, "no float tensor fits (the best, %s as a %s, has cosine %.3f)", slots.get(at).name(),
                        fit.window(), fit.stats().cosine());
                fit = null;
            }
            String matched = null;
            if (fit != null) {
                // a padded tensor: prefer a float pad or reshape right after that holds it whole
                for (int j = at + 1; !fit.window().whole() && j < slots.size() && slots.get(j).padsOrReshapes(); j++) {
                    TensorFit.Fit whole = best(slots.get(j), k, chw, dequantized);
                    if (whole != null && whole.window().whole()) {
                        fit = whole;
                        at = j;
                    }
                }
                matched = slots.get(at).name();
                cursor = at;
            }
            matches.add(KmodelComparison.row(t, chw, matched, fit, matched == null ? note : null));
        }
        List<V4TraceShapes.Shape> outShapes = shapes == null ? List.of() : shapes.outputs();
        return new KmodelComparison(matches, KmodelComparison.outputs(refs.get(0), run, i -> i < outShapes.size() ? outShapes.get(i) : null));
    }

    private static TensorFit.Fit best(Slot slot, float[] k, int[] chw, boolean dequantized) {
        TensorFit.Fit fit = null;
        for (Tensor f : slot.tensors()) {
            TensorFit.Fit c = TensorFit.fit(k, chw, f, dequantized);
            if (c != null && (fit == null || c.stats().cosine() > fit.stats().cosine())) {
                fit = c;
            }
        }
        return fit;
    }

    /** The slots in the first graph's execution order; a later graph's layers of a new name follow their predecessor. */
    private static List<Slot> slots(List<Graph> graphs, List<EvaluationResult> refs) {
        List<Slot> slots = new ArrayList<>();
        for (int gi = 0; gi < graphs.size(); gi++) {
            Graph g = graphs.get(gi);
            int after = -1;
            for (String id : g.topologicalOrder()) {
                Layer l = g.layer(id);
                Tensor t = refs.get(gi).tensor(id);
                int at = indexOf(slots, l.name());
                if (at < 0) {
                    LayerParams p = l.params();
                    boolean reshapes = p instanceof Reshape || p instanceof Flatten || p instanceof Dropout;
                    slots.add(after + 1, new Slot(l.name(), new ArrayList<>(), reshapes, reshapes || p instanceof ZeroPadding2D));
                    at = after + 1;
                }
                if (t != null) {
                    slots.get(at).tensors().add(t);
                }
                after = at;
            }
        }
        return slots;
    }

    private static int indexOf(List<Slot> slots, String name) {
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
