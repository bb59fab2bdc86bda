package k210studio.app.simulate;

import java.util.List;
import k210studio.kpu.image.RgbImage;

/**
 * One simulated image: the original image, the model input as the board feeds it (planar uint8 C×H×W), the float
 * answer (null for a kmodel opened on its own), the K210 answer, the per-layer table and the estimated total time.
 */
public record SimulationResult(String imageName, RgbImage image, byte[] planarInput, int inC, int inH, int inW,
                               ModelAnswer floatAnswer, ModelAnswer k210Answer, List<LayerRow> layers, long totalCycles,
                               String note) {
    public SimulationResult {
        layers = List.copyOf(layers);
    }

    /** Estimated milliseconds on a K210 at 400 MHz. */
    public double totalMillis() {
        return totalCycles / 400_000.0;
    }
}
