package k210studio.ir.project;

import static k210studio.ir.project.ProjectFileException.cannotOpen;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The versions of the project format: the one this code writes and the range it reads, checked on
 * {@code project.json}'s {@code "formatVersion"} before anything else is mapped. Version 1 is the
 * first format, so no older layout needs migrating yet; a future version 2 would turn a version-1
 * tree into its own shape here, between this check and the mapping.
 */
final class ProjectFormatVersion {
    /** The format version this code writes, and the newest it reads. */
    static final int CURRENT = 1;

    private ProjectFormatVersion() {
    }

    /** Fails unless the document says it is a version this code reads. */
    static void check(JsonNode root, String src) throws ProjectFileException {
        JsonNode v = root.get("formatVersion");
        if (v == null || v.isNull()) {
            throw cannotOpen(src, "project.json has no \"formatVersion\", so it was not written by K210 Studio",
                    "Open a " + ProjectFile.EXTENSION + " file saved by K210 Studio.");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw cannotOpen(src, "\"formatVersion\" in project.json must be a whole number, got " + v, "Set it to " + CURRENT + ".");
        }
        int version = v.intValue();
        if (version > CURRENT) {
            throw cannotOpen(src, "it was saved by a newer K210 Studio (project format version " + version
                    + "; this K210 Studio reads versions up to " + CURRENT + ")", "Update K210 Studio to open it.");
        }
        if (version < 1) {
            throw cannotOpen(src, "\"formatVersion\" " + version + " is not a valid project format version", "Set it to " + CURRENT + ".");
        }
    }
}
