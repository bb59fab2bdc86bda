package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Checks that a file the CLI wrote has the permissions of any ordinary new file in its folder (umask applied). */
final class OrdinaryPermissions {
    private OrdinaryPermissions() {
    }

    static void assertOrdinary(Path written) throws IOException {
        if (!written.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path ref = Files.createFile(written.toAbsolutePath().getParent().resolve(".ordinary-permissions-reference"));
        try {
            String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(ref));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
                    .as("permissions of %s (0644 under umask 022, never the owner-only 0600 of a temp file)", written)
                    .isEqualTo(expected);
        } finally {
            Files.delete(ref);
        }
    }
}
