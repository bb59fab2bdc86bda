package k210studio.converter.compile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.quant.ValueRange;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;

/**
 * Measures the value range of every tensor of a prepared graph over calibration samples with the float evaluator,
 * merging images as nncase does (kpu-arith.md §4.2): V4 takes the union of per-image min/max (non-finite values
 * skipped), V3 an exponential moving average with α = 0.01 of per-image ranges (|v| > 100 ignored).
 */
public final class Calibrator {
    private Calibrator() {
    }

    /** Receives progress (samples done, samples in all); may be null. */
    public interface Progress {
        void update(int done, int total);
    }

    /**
     * @param prepared a graph from {@link GraphPreparer#prepare}
     * @param samples  model-input tensors (one per calibration image, already preprocessed)
     */
    public static Calibration calibrate(Graph prepared, List<Tensor> samples, QuantRules rules, Progress progress)
            throws CompileException {
        if (samples.isEmpty()) {
            throw new CompileException("no calibration samples: give a folder with at least one image", null);
        }
        GraphPreparer.CalibrationGraph cg = GraphPreparer.forCalibration(prepared);
        String inputId = cg.graph().inputIds().get(0);
        Map<String, ValueRange> ranges = new HashMap<>();
        Map<String, List<ValueRange>> perImage = new HashMap<>();
        int done = 0;
        for (Tensor sample : samples) {
            EvaluationResult r;
            try {
                r = FloatEvaluator.evaluate(cg.graph(), Map.of(inputId, sample), true);
            } catch (RuntimeException e) {
                throw new CompileException("calibration failed on sample " + (done + 1) + ": " + e.getMessage(), null, e);
            }
            for (Map.Entry<String, Tensor> e : r.tensors().entrySet()) {
                ValueRange now = ValueRange.measure(e.getValue().data(), rules);
                perImage.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(now);
                ranges.merge(e.getKey(), now, (old, n) -> rules == QuantRules.V4 ? old.union(n) : old.ema(n));
            }
            done++;
            if (progress != null) {
                progress.update(done, samples.size());
            }
        }
        Map<String, ValueRange> out = new HashMap<>();
        Map<String, ValueRange> pre = new HashMap<>();
        Map<String, List<ValueRange>> seen = new HashMap<>();
        for (String id : prepared.ids()) {
            String act = cg.activationOf().get(id);
            String measured = act != null ? act : id;
            if (act != null) {
                pre.put(id, ranges.get(id));
            }
            if (ranges.containsKey(measured)) {
                out.put(id, ranges.get(measured));
                seen.put(id, perImage.get(measured));
            }
        }
        return new Calibration(out, pre, seen, samples.size());
    }
}
