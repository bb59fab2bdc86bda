package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.List;
import k210studio.converter.quant.ValueRange;
import k210studio.ir.graph.Graph;

/**
 * An output layer whose quantized range clips values of some calibration samples: on those images the largest
 * (or smallest) outputs all dequantize to the range's end — a classifier's top logits tie. The compile summary
 * lists it with the fix.
 *
 * @param layer        the output layer's name
 * @param clipped      how many calibration samples have values outside the range
 * @param samples      how many calibration samples there were
 * @param rangeMin     the quantized range's minimum
 * @param rangeMax     the quantized range's maximum
 * @param observedMin  the smallest value any sample produced
 * @param observedMax  the largest value any sample produced
 */
public record OutputSaturation(String layer, int clipped, int samples, float rangeMin, float rangeMax,
                               float observedMin, float observedMax) {

    /** The output layers of a compile whose range clips at least one calibration sample. */
    public static List<OutputSaturation> of(Graph prepared, Calibration cal) {
        List<OutputSaturation> out = new ArrayList<>();
        for (String id : OutputRanges.outputLayers(prepared, cal)) {
            ValueRange q = cal.output(id);
            List<ValueRange> each = cal.perImage().getOrDefault(id, List.of());
            int clipped = 0;
            for (ValueRange r : each) {
                if (r.max() > q.max() || r.min() < q.min()) {
                    clipped++;
                }
            }
            if (clipped > 0) {
                ValueRange seen = cal.observed(id);
                out.add(new OutputSaturation(prepared.layer(id).name(), clipped, each.size(), q.min(), q.max(), seen.min(), seen.max()));
            }
        }
        return out;
    }

    /** One line for the compile summary, with the fix. */
    public String message() {
        return String.format(java.util.Locale.ROOT,
                "output %s saturates on %d of %d calibration sample(s): its range [%.4g, %.4g] clips values up to [%.4g, %.4g], so the "
                        + "largest outputs all read as the same value. Fix: leave the output range to the compiler, or widen it to cover [%.4g, %.4g]",
                layer, clipped, samples, rangeMin, rangeMax, observedMin, observedMax, observedMin, observedMax);
    }
}
