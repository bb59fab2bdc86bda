package k210studio.kpu.post;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Label files: one label per line, line i names class i (0-based). Also accepts the MaixPy
 * {@code labels.txt} style with a leading "index:" or "index " prefix (e.g. "281: tabby"), and a
 * single comma-separated line.
 */
public final class Labels {
    private Labels() {
    }

    public static List<String> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        if (lines.size() == 1 && lines.get(0).contains(",")) {
            for (String s : lines.get(0).split(",")) {
                out.add(s.trim());
            }
            return out;
        }
        for (String l : lines) {
            String s = l.strip();
            if (s.isEmpty() && out.isEmpty()) {
                continue;
            }
            out.add(s.replaceFirst("^\\d+\\s*[:]\\s*", ""));
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
