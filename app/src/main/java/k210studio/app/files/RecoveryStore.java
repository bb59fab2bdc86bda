package k210studio.app.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Crash recovery. While the studio runs, unsaved work is written every few seconds to
 * {@code recovery.k210proj} in the studio's home folder, with the path of the file it belongs to in
 * {@code recovery.txt}, and a {@code session.lock} holds the running process id. A clean exit (or
 * a save that leaves nothing unsaved) deletes the recovery file; if it is still there at the next
 * start and the process that wrote it is gone, the studio offers to restore it.
 */
public final class RecoveryStore {
    private final Path dir;

    public RecoveryStore(Path dir) {
        this.dir = dir;
    }

    public Path recoveryFile() {
        return dir.resolve("recovery.k210proj");
    }

    private Path originFile() {
        return dir.resolve("recovery.txt");
    }

    private Path lockFile() {
        return dir.resolve("session.lock");
    }

    /** What a previous session left behind, if it did not exit cleanly and is not still running. */
    public Optional<Recovery> pending() {
        Path f = recoveryFile();
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            if (Files.isRegularFile(lockFile())) {
                long pid = Long.parseLong(Files.readString(lockFile(), StandardCharsets.UTF_8).trim());
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    return Optional.empty(); // another studio is running and owns this recovery file
                }
            }
        } catch (IOException | NumberFormatException e) {
            // a broken lock means no live owner
        }
        Path origin = null;
        try {
            if (Files.isRegularFile(originFile())) {
                String s = Files.readString(originFile(), StandardCharsets.UTF_8).trim();
                origin = s.isEmpty() ? null : Path.of(s);
            }
        } catch (IOException | RuntimeException e) {
            origin = null;
        }
        try {
            return Optional.of(new Recovery(f, origin, Files.getLastModifiedTime(f).toInstant()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Marks this process as the running studio. */
    public void startSession() {
        try {
            Files.createDirectories(dir);
            Files.writeString(lockFile(), Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // recovery is best effort
        }
    }

    /** Writes the autosave atomically (temp + rename). */
    public void write(byte[] project, Path origin) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("recovery.k210proj.tmp");
        Files.write(tmp, project);
        Files.move(tmp, recoveryFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(originFile(), origin == null ? "" : origin.toAbsolutePath().toString(), StandardCharsets.UTF_8);
    }

    /** Removes the autosave (nothing unsaved any more). */
    public void clear() {
        for (Path p : List.of(recoveryFile(), originFile())) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    /** Clean exit: no recovery file, no lock. */
    public void endSession() {
        clear();
        try {
            Files.deleteIfExists(lockFile());
        } catch (IOException e) {
            // best effort
        }
    }

    /** An autosave found at start-up. {@code origin} is the file it was editing, or null for an unsaved network. */
    public record Recovery(Path file, Path origin, java.time.Instant savedAt) {
    }
}
