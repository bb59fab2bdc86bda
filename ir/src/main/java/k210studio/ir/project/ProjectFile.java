package k210studio.ir.project;

import static k210studio.ir.project.ProjectFileException.cannotOpen;
import static k210studio.ir.project.ProjectFileException.damaged;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import k210studio.ir.files.AtomicFiles;

/**
 * Reads and writes {@code .k210proj} files: a ZIP container ({@link ProjectZip}) with
 * {@code project.json} (structure, settings and the weights index: {@link ProjectJson},
 * {@link ProjectDocument}, versions in {@link ProjectFormatVersion}) and {@code weights.bin} (every
 * weight tensor as little-endian float32, one after the other: {@link ProjectWeights}).
 *
 * <p>Saving is atomic: the bytes go to a temporary file in the target's folder, are flushed to disk,
 * and the temporary file is renamed over the target, so a crash leaves either the old or the new file.
 * Loading checks everything it reads and fails with a {@link ProjectFileException} whose message names
 * the problem and the fix (never a bare parser exception), and never allocates more than the file holds.
 */
public final class ProjectFile {
    /** File name extension of project files, with the dot. */
    public static final String EXTENSION = ".k210proj";
    /** The format version this code writes, and the newest it reads. */
    public static final int FORMAT_VERSION = ProjectFormatVersion.CURRENT;

    private ProjectFile() {
    }

    // ------------------------------------------------------------------ saving

    /**
     * Saves atomically: writes {@code file}'s new content to a temporary file beside it, forces it to
     * disk and renames it over {@code file}.
     */
    public static void save(Project project, Path file) throws ProjectFileException {
        byte[] bytes = toBytes(project);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ProjectFileException("Cannot save " + file + ": the folder " + dir + " does not exist. Choose an existing folder.");
        }
        Path tmp = null;
        try {
            tmp = AtomicFiles.createTempBeside(abs);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            AtomicFiles.moveOver(tmp, abs);
            tmp = null;
            syncDirectory(dir);
        } catch (AccessDeniedException e) {
            throw new ProjectFileException("Cannot save " + file + ": permission denied for " + e.getFile()
                    + ". Choose a folder you can write to, or check the file is not read-only.", e);
        } catch (IOException e) {
            throw new ProjectFileException("Cannot save " + file + ": " + e + ". Check that the disk is not full and the folder is writable; the previous file (if any) is unchanged.", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file is harmless
                }
            }
        }
    }

    /** The complete {@code .k210proj} content of a project. */
    public static byte[] toBytes(Project project) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(project, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Writes the {@code .k210proj} content to a stream (the stream is not closed). */
    public static void write(Project project, OutputStream out) throws IOException {
        ProjectWeights.Packed weights = ProjectWeights.pack(project.graph());
        ProjectZip.write(ProjectJson.write(project, weights.index()), weights.blob(), out);
    }

    // ------------------------------------------------------------------ loading

    /** Loads a project file; every problem becomes a {@link ProjectFileException} that says what is wrong and how to fix it. */
    public static Project load(Path file) throws ProjectFileException {
        String src = String.valueOf(file.getFileName());
        if (!Files.exists(file)) {
            throw cannotOpen(src, "the file " + file.toAbsolutePath() + " does not exist", "Check the path.");
        }
        if (Files.isDirectory(file)) {
            throw cannotOpen(src, "it is a folder, not a file", "Choose a " + EXTENSION + " file.");
        }
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
            size = Files.size(file);
        } catch (IOException e) {
            throw cannotOpen(src, "it cannot be read (" + e + ")", "Check that the file is readable.");
        }
        if (size == 0) {
            throw cannotOpen(src, "the file is empty (0 bytes)", "It was probably cut off while being saved or copied; restore it from a backup.");
        }
        ProjectZip.checkSignature(head, src);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ProjectDocument doc = ProjectJson.parse(ProjectZip.projectJson(zip, src), src);
            return ProjectJson.toProject(doc, ProjectZip.weightsBin(zip, src), src);
        } catch (ZipException | java.io.EOFException e) {
            throw damaged(src, e);
        } catch (IOException e) {
            throw cannotOpen(src, "it cannot be read (" + e + ")", "Check that the file is readable.");
        } catch (RuntimeException e) {
            // safety net: whatever a damaged container makes the ZIP or JSON layers throw is still a damaged file
            throw damaged(src, e);
        }
    }

    /**
     * True if the file looks like a project file (a ZIP container holding {@code project.json}), without
     * reading it: lets "Open" tell a project from a model to import. Never throws.
     */
    public static boolean isProjectFile(Path file) {
        return ProjectZip.isProjectFile(file);
    }

    /**
     * Loads a project from a stream, e.g. a bundled resource; {@code sourceName} names it in messages.
     * The bytes are copied to a temporary file first (the ZIP directory sits at the end).
     */
    public static Project read(InputStream in, String sourceName) throws ProjectFileException {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("k210proj-", EXTENSION);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                long limit = ProjectZip.MAX_JSON_BYTES + ProjectZip.MAX_WEIGHTS_BYTES + (1 << 20);
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                    if (total > limit) {
                        throw cannotOpen(sourceName, "it is larger than " + (limit >> 20) + " MiB, more than any project can be",
                                "Check that this is a " + EXTENSION + " file.");
                    }
                    out.write(buf, 0, n);
                }
            }
            Project p = load(tmp);
            return p;
        } catch (ProjectFileException e) {
            String msg = e.getMessage();
            if (tmp != null) {
                msg = msg.replace(String.valueOf(tmp.getFileName()), sourceName);
            }
            throw new ProjectFileException(msg, e.getCause());
        } catch (IOException e) {
            throw cannotOpen(sourceName, "it cannot be read (" + e + ")", "Check that the resource exists.");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // temp file in the system temp folder: harmless
                }
            }
        }
    }

    /** Loads a project from its bytes (e.g. from {@link #toBytes}). */
    public static Project fromBytes(byte[] bytes, String sourceName) throws ProjectFileException {
        return read(new java.io.ByteArrayInputStream(bytes), sourceName);
    }

    private static void syncDirectory(Path dir) {
        // makes the rename itself durable on Linux/macOS; not possible (and not needed) on Windows
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
