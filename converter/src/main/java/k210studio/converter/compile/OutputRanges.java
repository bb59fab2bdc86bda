package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.quant.ValueRange;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.Softmax;

/**
 * The quantized range of the layers that make a network's outputs — a classifier's logits, a detector's box and
 * score map. nncase 0.1 merges calibration ranges by a moving average (α = 0.01) that stays near the first image's
 * range; for an output layer that clips the largest values, so that on a photo outside the calibration set several
 * logits dequantize to the same maximum, softmax ties and the top-1 flips (TinyMaix's mbnet128 on V3). So an output
 * layer's range is the union of every calibration sample's range (as V4 merges anyway), and logits that feed a
 * softmax get {@link #HEADROOM} of that width above the maximum, for photos whose best class scores higher than any
 * calibration photo's (clipping the lowest logits is harmless: softmax makes them ≈ 0). Ranges the user sets
 * ({@code CompileOptions.withOutputRange}) replace these.
 */
public final class OutputRanges {
    /** Extra width above the maximum of logits that feed a softmax, as a fraction of the observed width. */
    public static final float HEADROOM = 0.25f;

    private OutputRanges() {
    }

    /** The ids of the quantized layers whose values reach a network output (through softmax and reshapes). */
    public static List<String> outputLayers(Graph prepared, Calibration cal) {
        return new ArrayList<>(paths(prepared, cal).keySet());
    }

    /** An output layer's way to a network output: whether a softmax reads it, and the reshapes on the way. */
    private record Path(boolean softmax, List<String> reshapes) {
        Path merge(Path o) {
            List<String> all = new ArrayList<>(reshapes);
            o.reshapes.stream().filter(id -> !all.contains(id)).forEach(all::add);
            return new Path(softmax && o.softmax, all);
        }
    }

    private static Map<String, Path> paths(Graph prepared, Calibration cal) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String id : prepared.outputIds()) {
            String at = id;
            boolean softmax = false;
            List<String> reshapes = new ArrayList<>();
            while (at != null && passesThrough(prepared.layer(at).params())) {
                if (isSoftmax(prepared.layer(at).params())) {
                    softmax = true;
                    reshapes.clear(); // those between the softmax and the output carry probabilities, with ranges of their own
                } else {
                    reshapes.add(at);
                }
                List<String> ins = prepared.inputsOf(at);
                at = ins.size() == 1 ? ins.get(0) : null;
            }
            if (at != null && cal.outputRanges().containsKey(at)) {
                out.merge(at, new Path(softmax, reshapes), Path::merge);
            }
        }
        return out;
    }

    /**
     * The calibration with every output layer's range set as the class comment says; the reshapes between it and the
     * softmax or the output carry the same values, so they get the same range (their own would clip again).
     */
    public static Calibration widen(Graph prepared, Calibration cal) {
        Map<String, ValueRange> wider = new LinkedHashMap<>();
        paths(prepared, cal).forEach((id, path) -> {
            ValueRange seen = cal.observed(id);
            ValueRange r = path.softmax() ? withHeadroom(seen) : seen;
            wider.put(id, r);
            path.reshapes().stream().filter(cal.outputRanges()::containsKey).forEach(x -> wider.put(x, r));
        });
        return cal.withOutputs(wider);
    }

    static ValueRange withHeadroom(ValueRange r) {
        return r.max() > 0 ? new ValueRange(r.min(), r.max() + HEADROOM * r.width()) : r;
    }

    private static boolean isSoftmax(LayerParams p) {
        return p instanceof Softmax || p instanceof Activation a && !a.fn().isElementwise();
    }

    /** Layers an output's values pass through unchanged in order (softmax keeps the order of the logits). */
    private static boolean passesThrough(LayerParams p) {
        return isSoftmax(p) || p instanceof Reshape
                || p instanceof Flatten || p instanceof Dropout;
    }
}
