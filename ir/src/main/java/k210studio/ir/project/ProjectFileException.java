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
}
