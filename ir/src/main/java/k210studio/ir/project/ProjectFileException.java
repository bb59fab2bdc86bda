package k210studio.ir.project;

/**
 * A project file could not be read or written. The message is for the user: it names the file,
 * what is wrong with it and how to fix it (it never needs a stack trace to be understood).
 */
public class ProjectFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProjectFileException(String message) {
        super(message);
    }

    public ProjectFileException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "Cannot open project SRC: PROBLEM. FIX" */
    static ProjectFileException cannotOpen(String src, String problem, String fix) {
        return new ProjectFileException("Cannot open project " + src + ": " + problem + ". " + fix);
    }

    /** A container the ZIP layer cannot read: cut off while being saved, copied or downloaded. */
    static ProjectFileException damaged(String src, Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ProjectFileException("Cannot open project " + src + ": the file is damaged or truncated (ZIP container: " + m
                + "). It was probably cut off while being saved, copied or downloaded; restore it from a backup.", e);
    }
}
