package k210studio.ir.project;

import static k210studio.ir.project.ProjectFileException.cannotOpen;
import static k210studio.ir.project.ProjectFileException.damaged;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The {@code .k210proj} container: a ZIP holding {@code project.json} (deflated) and
 * {@code weights.bin} (stored), both with a fixed time stamp so that saving the same project twice
 * gives the same bytes. Reading never takes more than a part may have, and checks each part's size
 * and checksum against the ZIP directory.
 */
final class ProjectZip {
    static final String PROJECT_JSON = "project.json";
    static final String WEIGHTS_BIN = "weights.bin";
    static final long MAX_JSON_BYTES = 64L << 20;
    static final long MAX_WEIGHTS_BYTES = 512L << 20;
    /** Entry time stamp, fixed so that saving the same project twice gives the same bytes. */
    private static final long ENTRY_TIME = 1577836800000L;
    private static final byte[] ZIP_LOCAL = {'P', 'K', 3, 4};
    private static final byte[] ZIP_EMPTY = {'P', 'K', 5, 6};

    private ProjectZip() {
    }

    /** Writes the container (the stream is not closed). */
    static void write(byte[] json, byte[] blob, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        ZipEntry je = new ZipEntry(PROJECT_JSON);
        je.setTime(ENTRY_TIME);
        zip.putNextEntry(je);
        zip.write(json);
        zip.closeEntry();
        ZipEntry we = new ZipEntry(WEIGHTS_BIN);
        we.setTime(ENTRY_TIME);
        we.setMethod(ZipEntry.STORED);
        we.setSize(blob.length);
        we.setCompressedSize(blob.length);
        CRC32 crc = new CRC32();
        crc.update(blob);
        we.setCrc(crc.getValue());
        zip.putNextEntry(we);
        zip.write(blob);
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }

    /** Fails unless the first bytes of a non-empty file are a ZIP local header. */
    static void checkSignature(byte[] head, String src) throws ProjectFileException {
        if (Arrays.equals(head, ZIP_EMPTY)) {
            throw cannotOpen(src, "it is an empty ZIP archive, without project.json", "Open a " + ProjectFile.EXTENSION + " file saved by K210 Studio.");
        }
        if (!Arrays.equals(head, ZIP_LOCAL)) {
            String what = head.length > 0 && (head[0] == '{' || head[0] == '[') ? "it looks like plain JSON"
                    : "it does not start with the ZIP signature 'PK'";
            throw cannotOpen(src, "it is not a K210 Studio project (a " + ProjectFile.EXTENSION + " file is a ZIP container; " + what + ")",
                    "To open a Keras (.h5) or TensorFlow Lite (.tflite) model, use Import instead.");
        }
    }

    /**
     * True if the file looks like a project file (a ZIP container holding {@code project.json}), without
     * reading it: lets "Open" tell a project from a model to import. Never throws.
     */
    static boolean isProjectFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (!Arrays.equals(in.readNBytes(4), ZIP_LOCAL)) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(PROJECT_JSON) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The bytes of {@code project.json}; fails when the archive has none. */
    static byte[] projectJson(ZipFile zip, String src) throws ProjectFileException {
        ZipEntry je = zip.getEntry(PROJECT_JSON);
        if (je == null) {
            String entries = zip.stream().limit(10).map(ZipEntry::getName).collect(Collectors.joining(", "));
            throw cannotOpen(src, "it is a ZIP archive without project.json, so not a K210 Studio project (it holds: "
                    + (entries.isEmpty() ? "nothing" : entries) + ")", "Open a " + ProjectFile.EXTENSION + " file saved by K210 Studio.");
        }
        return readEntry(zip, je, MAX_JSON_BYTES, src);
    }

    /** The bytes of {@code weights.bin}, or null when the archive has none. */
    static byte[] weightsBin(ZipFile zip, String src) throws ProjectFileException {
        ZipEntry we = zip.getEntry(WEIGHTS_BIN);
        return we == null ? null : readEntry(zip, we, MAX_WEIGHTS_BYTES, src);
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry e, long limit, String src) throws ProjectFileException {
        long declared = e.getSize();
        if (declared > limit) {
            throw cannotOpen(src, e.getName() + " claims " + declared + " bytes, more than the " + (limit >> 20) + " MiB a project part may have",
                    "The file is damaged or not a K210 Studio project.");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readNBytes((int) (declared >= 0 ? declared + 1 : limit + 1));
        } catch (IOException ex) {
            throw damaged(src, ex);
        }
        if (bytes.length > limit || (declared >= 0 && bytes.length != declared)) {
            throw cannotOpen(src, e.getName() + " inside it has " + bytes.length + (bytes.length > declared ? "+" : "") + " bytes where the ZIP directory says "
                    + declared, "The file is damaged; restore it from a backup.");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
            throw cannotOpen(src, e.getName() + " inside it is damaged (its checksum does not match)", "Restore the file from a backup.");
        }
        return bytes;
    }
}
