package k210studio.ir.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;

/**
 * Replaces a file atomically: the new content goes to a temporary file beside the target, which is then renamed over
 * it, so a reader (or a crash) sees either the old or the new file, never half of one.
 *
 * <p>The temporary file is created like any ordinary file ({@code 0666} minus the process umask, i.e. {@code 0644}
 * under the usual umask 022), not owner-only as {@link Files#createTempFile} makes it; when the target exists, its
 * permissions are kept. So a kmodel, a report, a script or a project written this way can be copied and shared like
 * one written by any other tool.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Fills the temporary file; it exists (empty) when called. */
    @FunctionalInterface
    public interface Filler {
        void fill(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target} atomically (creating missing parent folders), flushed to disk first. */
    public static void write(Path target, byte[] bytes) throws IOException {
        replace(target, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
        });
    }

    /**
     * Creates a temporary file beside {@code target} (creating missing parent folders), lets {@code filler} write it,
     * and renames it over {@code target}. On any failure the temporary file is deleted and the target is unchanged.
     */
    public static void replace(Path target, Filler filler) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = createTempBeside(abs);
        try {
            filler.fill(tmp);
            moveOver(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty file in {@code target}'s folder, named after it ({@code .name.<random>.tmp}), with ordinary
     * permissions: the target's when it exists, else the default for new files (umask applied).
     */
    public static Path createTempBeside(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        String base = "." + abs.getFileName() + ".";
        for (int attempt = 0; ; attempt++) {
            Path tmp = (dir == null ? Path.of(".") : dir).resolve(base + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 100) {
                    continue;
                }
                throw e;
            }
            keepTargetPermissions(abs, tmp);
            return tmp;
        }
    }

    /** Renames {@code tmp} over {@code target}, atomically where the file system can. */
    public static void moveOver(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void keepTargetPermissions(Path target, Path tmp) {
        try {
            if (Files.exists(target) && Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // the temp file keeps the default permissions of a new file
        }
    }
}
