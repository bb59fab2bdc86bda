package k210studio.app.simulate;

/**
 * One row of the per-layer table: a kmodel layer (V3) or node (V4) as the simulator ran it, the IR layer it comes
 * from (when the model was compiled by the studio) with its checker verdict, how close its output is to the float
 * reference, and its estimated cycles (KPU or CPU clock, both 400 MHz by default).
 *
 * @param cosine  cosine similarity K210 vs float, NaN when there is nothing to compare
 * @param maxAbs  largest absolute difference, NaN when there is nothing to compare
 * @param k210    the K210 output (dequantized), or null when the runtime keeps none (a V4 KPU conv without main output)
 * @param reference the float output of the same IR layer, or null
 * @param compareNote what the K210 output was compared with (the float layer and, for a padded or stride-1 map, the
 *                    window), or why it was not; null when there is nothing to say
 */
public record LayerRow(int index, String type, String unit, String layer, String verdict, double cosine, double maxAbs,
                       long cycles, FeatureMap k210, FeatureMap reference, String compareNote) {

    public LayerRow(int index, String type, String unit, String layer, String verdict, double cosine, double maxAbs, long cycles,
                    FeatureMap k210, FeatureMap reference) {
        this(index, type, unit, layer, verdict, cosine, maxAbs, cycles, k210, reference, null);
    }

    /** Estimated milliseconds at 400 MHz. */
    public double millis() {
        return cycles / 400_000.0;
    }

    public boolean compared() {
        return !Double.isNaN(cosine);
    }
}
