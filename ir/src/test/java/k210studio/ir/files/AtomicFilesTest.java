package k210studio.ir.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the studio writes (kmodels, reports, scripts, projects) get the permissions of any ordinary new file (0644
 * under umask 022), not the owner-only 0600 of {@link Files#createTempFile}; an overwritten file keeps its own.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    /** What the process umask gives a file created the ordinary way. */
    private Set<PosixFilePermission> ordinary() throws IOException {
        Path ref = Files.createFile(dir.resolve("reference"));
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(ref);
        Files.delete(ref);
        return p;
    }

    @Test
    void aNewFileGetsOrdinaryPermissionsNotOwnerOnly() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Set<PosixFilePermission> expected = ordinary();
        Path f = dir.resolve("sub/model.kmodel");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo(PosixFilePermissions.toString(expected));
        if (expected.contains(PosixFilePermission.OTHERS_READ)) {
            // the usual umask 022: readable by everyone, as the issue asks (0644), where createTempFile gave 0600
            assertThat(Files.getPosixFilePermissions(f)).contains(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        }
    }

    @Test
    void anOverwrittenFileKeepsItsPermissions() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path f = dir.resolve("report.json");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.write(f, "new".getBytes());
        assertThat(Files.readString(f)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-rw----");
    }

    @Test
    void aFailedFillLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("train.py");
        Files.writeString(f, "keep me");
        assertThatThrownBy(() -> AtomicFiles.replace(f, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(f)).isEqualTo("keep me");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("train.py");
        }
    }
}
