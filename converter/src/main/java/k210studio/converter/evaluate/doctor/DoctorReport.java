package k210studio.converter.evaluate.doctor;

import java.util.List;

/**
 * What the quantization doctor found on a dataset.
 *
 * @param images  images examined
 * @param layers  per kmodel layer with a float counterpart, its error against float (kmodel order)
 * @param ranking the quantized layers, the one costing most agreement first (ties: lower SNR first)
 */
public record DoctorReport(int images, List<LayerError> layers, List<RankedLayer> ranking) {
    public DoctorReport {
        layers = List.copyOf(layers);
        ranking = List.copyOf(ranking);
    }

    /** The first ranked layer's suggestion that changes the build, or null. */
    public Suggestion top() {
        return ranking.stream().map(RankedLayer::suggestion).filter(Suggestion::applicable).findFirst().orElse(null);
    }
}
