package k210studio.app.files;

import java.nio.file.Path;
import java.util.Locale;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.project.ProjectSettings;

/**
 * The one name a document goes by — in the title bar, the save prompt, the status line, Simulate and the export
 * wizard: its file's name once saved or opened ("rt.k210proj"), else the project's name ("untitled", or a sample's
 * "Brief two-class network"). Also the file names Save proposes and writes: exactly one {@code .k210proj}.
 */
public final class DocumentName {
    private DocumentName() {
    }

    public static String of(Path file, ProjectSettings settings) {
        return file != null ? file.getFileName().toString() : settings.name();
    }

    /**
     * The file to save to for a chosen path: the name keeps one {@code .k210proj} (any case) — added when missing,
     * never doubled (a chooser that appends the filter's extension to "rt.k210proj" gives "rt.k210proj" again).
     */
    public static Path projectFile(Path chosen) {
        String name = chosen.getFileName().toString();
        String ext = ProjectFile.EXTENSION;
        String stem = name;
        while (stem.toLowerCase(Locale.ROOT).endsWith(ext) && stem.length() > ext.length()) {
            stem = stem.substring(0, stem.length() - ext.length());
        }
        String fixed = stem.equals(name) ? name + ext : name.substring(0, stem.length() + ext.length());
        return fixed.equals(name) ? chosen : chosen.resolveSibling(fixed);
    }

    /** The name Save As proposes: the file's own, or the project's name made a file name. */
    public static String suggestedFile(Path file, ProjectSettings settings) {
        if (file != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ProjectFile.EXTENSION)) {
            return projectFile(file).getFileName().toString();
        }
        String base = file != null ? stripExtension(file.getFileName().toString()) : settings.name();
        String safe = base.trim().replaceAll("[\\\\/:*?\"<>|\\s]+", "_");
        return (safe.isEmpty() ? "untitled" : safe) + ProjectFile.EXTENSION;
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
