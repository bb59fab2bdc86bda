package k210studio.app.simulate;

import java.util.Locale;

/**
 * The feature maps of one table row as the maps pane draws them: the K210 map, the float map and their difference
 * (null when absent), the grey range both maps share, the difference's range, and the header line.
 */
public record LayerMaps(String title, FeatureMap k210, FeatureMap reference, FeatureMap difference, float lo, float hi,
                        float diffLo, float diffHi) {

    /** Nothing selected. */
    public static final String PROMPT = "Click a layer in the table to see its feature maps.";

    public static LayerMaps none() {
        return new LayerMaps(PROMPT, null, null, null, 0, 1, 0, 1);
    }

    /** The maps of a row; {@code ran} says whether a run has produced outputs yet. */
    public static LayerMaps of(LayerRow row, boolean ran) {
        if (row == null) {
            return none();
        }
        if (row.k210() == null) {
            return new LayerMaps("Layer " + row.index() + " " + row.type() + ": the runtime keeps no output of this layer"
                    + (ran ? "" : " (run first)"), null, null, null, 0, 1, 0, 1);
        }
        FeatureMap k = row.k210();
        float[] range = FeatureMapGrid.range(row.reference() != null ? row.reference() : k);
        String text = String.format(Locale.ROOT, "Layer %d %s%s: %d×%d×%d (C×H×W)%s", row.index(), row.type(),
                row.layer() != null ? " (" + row.layer() + ")" : "", k.c(), k.h(), k.w(),
                k.c() > FeatureMapGrid.MAX_CHANNELS && k.h() * k.w() > 1 ? ", first " + FeatureMapGrid.MAX_CHANNELS + " channels" : "");
        if (row.reference() == null) {
            text += String.format(Locale.ROOT, "; grey %.3g…%.3g (%s)", range[0], range[1],
                    row.compareNote() != null ? row.compareNote() : "no float layer to compare");
            return new LayerMaps(text, k, null, null, range[0], range[1], 0, 1);
        }
        FeatureMap diff = k.minus(row.reference());
        float[] dr = FeatureMapGrid.range(diff);
        text += String.format(Locale.ROOT, "; cosine %.4f, max |Δ| %.4g%s; grey %.3g…%.3g", row.cosine(), row.maxAbs(),
                row.compareNote() != null ? " " + row.compareNote() : "", range[0], range[1]);
        return new LayerMaps(text, k, row.reference(), diff, range[0], range[1], dr[0], dr[1]);
    }
}
