package k210studio.converter.compile;

import java.util.Map;
import k210studio.converter.quant.ValueRange;

/**
 * Calibrated value ranges of a prepared graph (see {@link GraphPreparer}): the output range of every layer and, for
 * a convolution whose activation was fused, the range before the activation (nncase V4 fits its activation table
 * between the two).
 *
 * @param outputRanges      layer id → range of its output (after a fused activation)
 * @param preActivation     conv layer id → range of its output before its activation
 * @param images            how many calibration samples were run
 */
public record Calibration(Map<String, ValueRange> outputRanges, Map<String, ValueRange> preActivation, int images) {

    public Calibration {
        outputRanges = Map.copyOf(outputRanges);
        preActivation = Map.copyOf(preActivation);
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
        return new Calibration(out, preActivation, images);
    }

    public ValueRange beforeActivation(String layerId) {
        ValueRange r = preActivation.get(layerId);
        return r != null ? r : output(layerId);
    }
}
