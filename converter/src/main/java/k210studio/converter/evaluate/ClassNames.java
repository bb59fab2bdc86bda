package k210studio.converter.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Matching the class names a dataset uses (folder names, VOC object names) to a model's labels by their text:
 * case, spaces, underscores and hyphens do not matter ("tiger_cat" = "Tiger cat"), and a label that lists synonyms
 * separated by commas ("tabby, tabby cat") matches any of them. A name that is a number matches that index when no
 * label has that text.
 */
public final class ClassNames {
    private ClassNames() {
    }

    /**
     * The labels as the model's outputs number them: a list with one more entry than the model has classes whose
     * first entry is "background" (TensorFlow's 1001-line ImageNet file for a 1000-class model) loses that entry.
     */
    public static List<String> forOutputs(List<String> labels, int classes) {
        if (labels == null) {
            return List.of();
        }
        if (labels.size() == classes + 1 && labels.get(0).trim().equalsIgnoreCase("background")) {
            return List.copyOf(labels.subList(1, labels.size()));
        }
        return List.copyOf(labels);
    }

    /** The index of the label {@code name} means, or −1. */
    public static int indexOf(List<String> labels, String name) {
        String want = normalise(name);
        for (int i = 0; i < labels.size(); i++) {
            if (normalise(labels.get(i)).equals(want)) {
                return i;
            }
        }
        for (int i = 0; i < labels.size(); i++) {
            for (String synonym : labels.get(i).split(",")) {
                if (normalise(synonym).equals(want)) {
                    return i;
                }
            }
        }
        if (name.trim().matches("\\d{1,6}")) {
            int i = Integer.parseInt(name.trim());
            if (labels.isEmpty() || i < labels.size()) {
                return i;
            }
        }
        return -1;
    }

    /** Up to three labels that contain the name's first word, to suggest in an error message. */
    public static List<String> near(List<String> labels, String name) {
        String[] words = normalise(name).split(" ");
        List<String> out = new ArrayList<>();
        for (String l : labels) {
            if (!words[0].isEmpty() && normalise(l).contains(words[0]) && out.size() < 3) {
                out.add(l);
            }
        }
        return out;
    }

    static String normalise(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replaceAll("[_\\-\\s]+", " ");
    }
}
