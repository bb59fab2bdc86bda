package k210studio.app.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a file is, judged by its first bytes (not its name), so a renamed file still opens right and a wrong one is named. */
public enum FileKind {
    /** A K210 Studio project (a ZIP container). */
    PROJECT("K210 Studio project"),
    /** A TensorFlow Lite flatbuffer ("TFL3" at offset 4). */
    TFLITE("TensorFlow Lite model"),
    /** An HDF5 file (Keras .h5). */
    KERAS_H5("Keras .h5 model"),
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
            return PROJECT;
        }
        if (n >= 8 && head[4] == 'T' && head[5] == 'F' && head[6] == 'L' && head[7] == '3') {
            return TFLITE;
        }
        if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
            return KERAS_H5;
        }
        return UNKNOWN;
    }
}
