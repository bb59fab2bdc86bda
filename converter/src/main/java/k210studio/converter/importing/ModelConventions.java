package k210studio.converter.importing;

import java.util.List;
import k210studio.ir.project.Preprocessing;

/**
 * How an imported model is meant to be used, as far as its file says: the input preprocessing (from TFLite
 * metadata, a quantized input's parameters or a Keras preprocessing layer) and the class labels (a label file in
 * the TFLite metadata), each with where it was found. What the file does not say is null/empty, so the studio
 * asks once; {@link #classes()} lets it offer bundled labels of a well-known class count.
 *
 * @param preprocessing       pixel → input value, or null when the file does not say
 * @param preprocessingSource where it was found ("TFLite metadata (NormalizationOptions mean 127.5, std 127.5)")
 * @param labels              class names, index = output index; empty when the file has none
 * @param labelsSource        where the labels were found ("imagenet_labels.txt in the model's associated files")
 * @param classes             the number of values of the first output when it is a class vector, else 0
 * @param notes               what the user should know about the metadata (unreadable parts, ignored per-channel values)
 */
public record ModelConventions(Preprocessing preprocessing, String preprocessingSource, List<String> labels, String labelsSource,
                               int classes, List<String> notes) {
    public ModelConventions {
        labels = List.copyOf(labels == null ? List.of() : labels);
        notes = List.copyOf(notes == null ? List.of() : notes);
    }

    /** A file that says nothing about its use. */
    public static ModelConventions unknown(int classes) {
        return new ModelConventions(null, null, List.of(), null, classes, List.of());
    }

    public boolean knowsPreprocessing() {
        return preprocessing != null;
    }

    /** True for the ImageNet class counts (1000, or 1001 with a background class first). */
    public boolean imagenetSized() {
        return classes == 1000 || classes == 1001;
    }

    /** Label file lines as labels: one a line, trailing empty lines dropped, "N: name" or "N name" prefixes kept as they are. */
    public static List<String> labelLines(String text) {
        List<String> lines = new java.util.ArrayList<>(List.of(text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
