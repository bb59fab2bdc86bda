package k210studio.app.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the export: {@code <name>.kmodel}, {@code labels.txt} (one label a line, line i = class i) and
 * {@code boot.py}, each to a temporary file beside it that is then renamed over the target (atomically where the
 * file system can), so a cancelled or failed export never leaves half a file.
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
        k210studio.ir.files.AtomicFiles.write(target, bytes);
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
