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
        return new ArrayList<>(outputLayersFeedingSoftmax(prepared, cal).keySet());
    }

    /** {@link #outputLayers}, each with whether a softmax reads it on its way to the output. */
    private static Map<String, Boolean> outputLayersFeedingSoftmax(Graph prepared, Calibration cal) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String id : prepared.outputIds()) {
            String at = id;
            boolean softmax = false;
            while (at != null && passesThrough(prepared.layer(at).params())) {
                softmax |= isSoftmax(prepared.layer(at).params());
                List<String> ins = prepared.inputsOf(at);
                at = ins.size() == 1 ? ins.get(0) : null;
            }
            if (at != null && cal.outputRanges().containsKey(at)) {
                out.merge(at, softmax, Boolean::logicalAnd);
            }
        }
        return out;
    }

    /** The calibration with every output layer's range set as the class comment says. */
    public static Calibration widen(Graph prepared, Calibration cal) {
        Map<String, ValueRange> wider = new LinkedHashMap<>();
        outputLayersFeedingSoftmax(prepared, cal).forEach((id, softmax) -> {
            ValueRange seen = cal.observed(id);
            wider.put(id, softmax ? withHeadroom(seen) : seen);
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
