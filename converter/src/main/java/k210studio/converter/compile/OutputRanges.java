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
 * logits dequantize to the same maximum, softmax ties and the top-1 flips (TinyMaix's mbnet128 on V3). So an
 * output layer's range is the union of every calibration sample's range (V4 already merges so) widened by
 * {@link #HEADROOM} of its width on each side that is not zero, for values a little beyond those the samples
 * reached. Ranges the user sets ({@code CompileOptions.withOutputRange}) replace these.
 */
public final class OutputRanges {
    /** Extra width, as a fraction of the observed width, on each open side of an output layer's range. */
    public static final float HEADROOM = 0.25f;

    private OutputRanges() {
    }

    /** The ids of the quantized layers whose values reach a network output (through softmax and reshapes). */
    public static List<String> outputLayers(Graph prepared, Calibration cal) {
        List<String> out = new ArrayList<>();
        for (String id : prepared.outputIds()) {
            String at = id;
            while (at != null && passesThrough(prepared.layer(at).params())) {
                List<String> ins = prepared.inputsOf(at);
                at = ins.size() == 1 ? ins.get(0) : null;
            }
            if (at != null && cal.outputRanges().containsKey(at) && !out.contains(at)) {
                out.add(at);
            }
        }
        return out;
    }

    /** The calibration with every output layer's range widened. */
    public static Calibration widen(Graph prepared, Calibration cal) {
        Map<String, ValueRange> wider = new LinkedHashMap<>();
        for (String id : outputLayers(prepared, cal)) {
            wider.put(id, withHeadroom(cal.observed(id)));
        }
        return cal.withOutputs(wider);
    }

    static ValueRange withHeadroom(ValueRange r) {
        float extra = HEADROOM * r.width();
        return new ValueRange(r.min() < 0 ? r.min() - extra : r.min(), r.max() > 0 ? r.max() + extra : r.max());
    }

    /** Layers an output's values pass through unchanged in order (softmax keeps the order of the logits). */
    private static boolean passesThrough(LayerParams p) {
        return p instanceof Softmax || p instanceof Activation a && !a.fn().isElementwise() || p instanceof Reshape
                || p instanceof Flatten || p instanceof Dropout;
    }
}
