package k210studio.app.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/** What a file is, judged by its bytes (not its name), so a renamed file still opens right and a wrong one is named. */
public enum FileKind {
    /** A K210 Studio project (a ZIP container with project.json). */
    PROJECT("K210 Studio project"),
    /** A TensorFlow Lite flatbuffer ("TFL3" at offset 4). */
    TFLITE("TensorFlow Lite model"),
    /** An HDF5 file (Keras 2 .h5). */
    KERAS_H5("Keras .h5 model"),
    /** A Keras 3 .keras file (a ZIP container with config.json). */
    KERAS_ZIP("Keras 3 .keras model"),
    /** Anything else. */
    UNKNOWN("unknown file");

    private final String description;

    FileKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public static FileKind of(Path file) throws IOException {
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5) && (head[3] == 4 || head[3] == 6)) {
            return zipKind(file);
        }
        if (n >= 8 && head[4] == 'T' && head[5] == 'F' && head[6] == 'L' && head[7] == '3') {
            return TFLITE;
        }
        if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
            return KERAS_H5;
        }
        return UNKNOWN;
    }

    /** A ZIP is a project unless it holds a Keras config; an unreadable ZIP goes to the project reader, which names the damage. */
    private static FileKind zipKind(Path file) {
        try (ZipFile z = new ZipFile(file.toFile())) {
            if (z.getEntry("project.json") == null && (z.getEntry("config.json") != null || z.getEntry("metadata.json") != null)) {
                return KERAS_ZIP;
            }
        } catch (IOException | RuntimeException e) {
            return PROJECT;
        }
        return PROJECT;
    }
}
