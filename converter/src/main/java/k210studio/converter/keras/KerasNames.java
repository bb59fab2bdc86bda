package k210studio.converter.keras;

import java.util.Set;

/** Layer names for exported files: restricted to a safe alphabet and made unique with a numeric suffix. */
final class KerasNames {
    private KerasNames() {
    }

    /** The name with every character outside {@code [A-Za-z0-9_.-]} replaced by '_' (may be empty). */
    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    }

    /** {@code base}, or {@code base_1}, {@code base_2}, ... whichever is not in {@code used} yet; added to it. */
    static String unique(String base, Set<String> used) {
        String n = base;
        for (int i = 1; used.contains(n); i++) {
            n = base + "_" + i;
        }
        used.add(n);
        return n;
    }
}
