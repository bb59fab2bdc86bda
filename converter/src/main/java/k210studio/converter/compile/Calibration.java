package k210studio.converter.compile;

import java.util.List;
import java.util.Map;
import k210studio.converter.quant.ValueRange;

/**
 * Calibrated value ranges of a prepared graph (see {@link GraphPreparer}): the output range of every layer and, for
 * a convolution whose activation was fused, the range before the activation (nncase V4 fits its activation table
 * between the two).
 *
 * @param outputRanges      layer id → range of its output (after a fused activation)
 * @param preActivation     conv layer id → range of its output before its activation
 * @param perImage          layer id → the range of its output on each calibration sample, in order (what
 *                          {@code outputRanges} merged; it tells which samples a range clips)
 * @param images            how many calibration samples were run
 */
public record Calibration(Map<String, ValueRange> outputRanges, Map<String, ValueRange> preActivation,
                          Map<String, List<ValueRange>> perImage, int images) {

    public Calibration {
        outputRanges = Map.copyOf(outputRanges);
        preActivation = Map.copyOf(preActivation);
        perImage = Map.copyOf(perImage);
    }

    /** The union of a layer's per-sample ranges: every value the calibration samples produced lies in it. */
    public ValueRange observed(String layerId) {
        ValueRange u = null;
        for (ValueRange r : perImage.getOrDefault(layerId, List.of())) {
            u = u == null ? r : u.union(r);
        }
        return u != null ? u : output(layerId);
    }

    public ValueRange output(String layerId) {
        ValueRange r = outputRanges.get(layerId);
        if (r == null) {
            throw new IllegalStateException("no calibrated range for layer " + layerId);
        }
        return r;
    }

    /** These ranges with the output ranges of some layers (by id) replaced; the ranges before activations stay. */
    public Calibration withOutputs(Map<String, ValueRange> byId) {
        Map<String, ValueRange> out = new java.util.HashMap<>(outputRanges);
        out.putAll(byId);
        return new Calibration(out, preActivation, perImage, images);
    }

    public ValueRange beforeActivation(String layerId) {
        ValueRange r = preActivation.get(layerId);
        return r != null ? r : output(layerId);
    }
}
