package k210studio.kpu.kmodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** Entry point for kmodel files of any version: sniff the version, read through the right loader. */
public final class KmodelFiles {
    /** Largest file accepted (the K210 has 16 MiB of flash at most on common boards; 64 MiB is generous). */
    public static final long MAX_FILE_SIZE = 64L << 20;

    private static final int V4_IDENTIFIER = 0x4B4D444C; // 'KMDL', bytes "LDMK" on disk

    private KmodelFiles() {
    }

    /**
     * The kmodel version of a file: 3 when the first little-endian u32 is 3 (kmodel-v3.md §2.2), or
     * the version word at offset 4 when the file starts with "LDMK" (kmodel-v4.md §2). Any other
     * start, a file shorter than 8 bytes, or an unknown version is a {@link KmodelFormatException}.
     */
    public static int detectVersion(byte[] bytes) throws KmodelFormatException {
        if (bytes == null || bytes.length == 0) {
            throw new KmodelFormatException(0, "version", "the file is empty (0 bytes); a kmodel starts with a"
                    + " 4-byte version (3) or the magic \"LDMK\"");
        }
        if (bytes.length < 8) {
            throw new KmodelFormatException(0, "version", "the file is only " + bytes.length
                    + " bytes long; it is truncated or not a kmodel");
        }
        int first = u32(bytes, 0);
        if (first == 3) {
            return 3;
        }
        if (first == V4_IDENTIFIER) {
            int v = u32(bytes, 4);
            if (v == 4) {
                return 4;
            }
            throw new KmodelFormatException(4, "version", "kmodel with identifier \"LDMK\" has version "
                    + Integer.toUnsignedString(v) + "; only version 4 (nncase v0.2) is supported."
                    + (v == 5 ? " Version 5 comes from nncase >= 1.0 and does not run on this simulator." : ""));
        }
        if (first == 1) {
            throw new KmodelFormatException(0, "version", "kmodel version 1 (old kendryte-model-compiler format)"
                    + " is not supported; recompile the model with nncase v0.1 (V3) or v0.2 (V4)");
        }
        throw new KmodelFormatException(0, "version", "unknown kmodel version word 0x" + Integer.toHexString(first)
                + "; expected 3 (kmodel V3) or the magic \"LDMK\" (kmodel V4)");
    }

    /** Parses a kmodel of any supported version. */
    public static Kmodel read(byte[] bytes) throws KmodelFormatException {
        int v = detectVersion(bytes);
        for (KmodelLoader l : ServiceLoader.load(KmodelLoader.class, KmodelFiles.class.getClassLoader())) {
            if (l.version() == v) {
                return l.read(bytes);
            }
        }
        throw new KmodelFormatException(0, "version", "kmodel version " + v + " is recognised but no reader for it"
                + " is installed");
    }

    /** Reads and parses a kmodel file. */
    public static Kmodel read(Path file) throws IOException, KmodelFormatException {
        long size = Files.size(file);
        if (size > MAX_FILE_SIZE) {
            throw new KmodelFormatException(0, "file size", file + " is " + size + " bytes, larger than any K210"
                    + " model can be (" + MAX_FILE_SIZE + ")");
        }
        return read(Files.readAllBytes(file));
    }

    private static int u32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }
}
