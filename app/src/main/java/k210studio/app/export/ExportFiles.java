package k210studio.app.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the export: {@code <name>.kmodel}, {@code labels.txt} (one label a line, line i = class i) and
 * {@code boot.py}, each to a temporary file beside it that is then renamed over the target (atomically where the
 * file system can), so a cancelled or failed export never leaves half a file. The files get ordinary permissions:
 * those of the file they replace, or what the user's umask gives a new file (typically rw-r--r--), not the
 * owner-only mode of a temporary file.
 * {@code labels.txt} is written only when there are labels.
 */
public final class ExportFiles {
    private ExportFiles() {
    }

    /** The files written. */
    public record Written(Path kmodel, Path labels, Path script) {
    }

    public static Written write(Path folder, String baseName, byte[] kmodel, List<String> labels, String script) throws IOException {
        Files.createDirectories(folder);
        Path km = folder.resolve(baseName + ".kmodel");
        atomicWrite(km, kmodel);
        Path lb = null;
        if (labels != null && !labels.isEmpty()) {
            lb = folder.resolve("labels.txt");
            atomicWrite(lb, (String.join("\n", labels) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path py = folder.resolve("boot.py");
        atomicWrite(py, script.getBytes(StandardCharsets.UTF_8));
        return new Written(km, lb, py);
    }

    /** Writes bytes to a temp file in the same folder, then renames it over {@code target}. */
    public static void atomicWrite(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = freshTemp(dir, target.getFileName().toString());
        try {
            keepPermissions(target, tmp);
            Files.write(tmp, bytes, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A new file beside the target, created the ordinary way (so the umask, not an owner-only temp mode, sets its rights). */
    private static Path freshTemp(Path dir, String name) throws IOException {
        java.util.Random r = new java.util.Random();
        for (int i = 0; ; i++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(r.nextLong(), 36) + ".tmp");
            try {
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i > 100) {
                    throw e;
                }
            }
        }
    }

    /** A file that is replaced keeps its permissions. */
    private static void keepPermissions(Path target, Path tmp) {
        try {
            if (Files.exists(target) && Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // the new file keeps the rights it was created with
        }
    }

    /** Every file name {@link #write} would create, for an "overwrite?" question. */
    public static List<Path> targets(Path folder, String baseName, boolean labels) {
        List<Path> out = new ArrayList<>();
        out.add(folder.resolve(baseName + ".kmodel"));
        if (labels) {
            out.add(folder.resolve("labels.txt"));
        }
        out.add(folder.resolve("boot.py"));
        return out;
    }
}
