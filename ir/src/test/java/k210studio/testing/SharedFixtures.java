package k210studio.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the shared third-party fixtures (`../shared/fixtures` beside the repository root).
 * Maven passes the folder as the system property {@code k210.shared}; when run from an IDE the
 * folder is searched upwards from the working directory. Tests only: the product never needs it.
 */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    public static Path root() {
        String prop = System.getProperty("k210.shared");
        if (prop != null && Files.isDirectory(Paths.get(prop, "fixtures"))) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("fixtures"))) {
                return candidate.normalize();
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find ../shared/fixtures (set -Dk210.shared=/path/to/shared)");
    }

    /** A file under shared/fixtures, e.g. {@code fixture("tflite/nncase_iris.tflite")}. */
    public static Path fixture(String relative) {
        Path p = root().resolve("fixtures").resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing fixture " + p);
        }
        return p;
    }
}
