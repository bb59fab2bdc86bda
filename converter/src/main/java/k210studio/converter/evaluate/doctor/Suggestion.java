package k210studio.converter.evaluate.doctor;

import java.nio.file.Path;
import java.util.List;
import k210studio.converter.evaluate.K210Build;
import k210studio.converter.quant.ValueRange;

/**
 * A concrete change of a {@link K210Build} the doctor suggests for one layer; {@link #apply} makes the new build.
 *
 * @param kind   what to change
 * @param layer  the layer (name in the compiler's prepared graph) it is for
 * @param text   the suggestion in words, for the user
 * @param range  {@link Kind#WIDEN_RANGE}: the output range to give the layer; otherwise null
 * @param images {@link Kind#CALIBRATE}: the calibration images to use; otherwise empty
 */
public record Suggestion(Kind kind, String layer, String text, ValueRange range, List<Path> images) {

    /** The kinds of change. */
    public enum Kind {
        /** Quantize the layer's output with a wider range ({@code CompileOptions.withOutputRange}). */
        WIDEN_RANGE("widen-range"),
        /** Calibrate on images spread over the dataset ({@code K210Build.withCalibration}). */
        CALIBRATE("calibrate"),
        /** 16-bit weights (V3 only, {@code CompileOptions.withWeightBits(16)}). */
        WEIGHTS_16("weights-16"),
        /** Nothing the doctor can change helps this layer. */
        NONE("none");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The JSON name: "widen-range", "calibrate", "weights-16", "none". */
        public String id() {
            return id;
        }
    }

    public Suggestion {
        images = images == null ? List.of() : List.copyOf(images);
    }

    /** True when {@link #apply} changes the build. */
    public boolean applicable() {
        return kind != Kind.NONE;
    }

    /** The build with this suggestion applied. */
    public K210Build apply(K210Build b) {
        return switch (kind) {
            case WIDEN_RANGE -> b.withOptions(b.options().withOutputRange(layer, range));
            case CALIBRATE -> b.withCalibration(images);
            case WEIGHTS_16 -> b.withOptions(b.options().withWeightBits(16));
            case NONE -> b;
        };
    }
}
