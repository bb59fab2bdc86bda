package k210studio.ir.project;

import java.util.List;
import java.util.Locale;

/**
 * Project-wide settings saved with the network.
 *
 * @param name          the project's display name
 * @param target        the kmodel format to build for: "V3" (nncase v0.1.0-rc5) or "V4" (nncase v0.2.0-beta4)
 * @param preprocessing how image pixels map to input values
 * @param labels        class names, index = output index (may be empty)
 * @param sampleImages  names of sample/calibration images used with this project (asset names or file names)
 */
public record ProjectSettings(String name, String target, Preprocessing preprocessing, List<String> labels,
                              List<String> sampleImages) {

    public static final String V3 = "V3";
    public static final String V4 = "V4";

    public ProjectSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("project name must not be empty");
        }
        if (target == null) {
            target = V3;
        }
        target = target.trim().toUpperCase(Locale.ROOT);
        if (!target.equals(V3) && !target.equals(V4)) {
            throw new IllegalArgumentException("target must be \"V3\" or \"V4\", got \"" + target + "\"");
        }
        if (preprocessing == null) {
            preprocessing = Preprocessing.unit();
        }
        labels = List.copyOf(labels == null ? List.of() : labels);
        sampleImages = List.copyOf(sampleImages == null ? List.of() : sampleImages);
    }

    public static ProjectSettings defaults(String name) {
        return new ProjectSettings(name, V3, Preprocessing.unit(), List.of(), List.of());
    }

    public ProjectSettings withName(String n) {
        return new ProjectSettings(n, target, preprocessing, labels, sampleImages);
    }

    public ProjectSettings withTarget(String t) {
        return new ProjectSettings(name, t, preprocessing, labels, sampleImages);
    }

    public ProjectSettings withPreprocessing(Preprocessing p) {
        return new ProjectSettings(name, target, p, labels, sampleImages);
    }

    public ProjectSettings withLabels(List<String> l) {
        return new ProjectSettings(name, target, preprocessing, l, sampleImages);
    }

    public ProjectSettings withSampleImages(List<String> s) {
        return new ProjectSettings(name, target, preprocessing, labels, s);
    }
}
