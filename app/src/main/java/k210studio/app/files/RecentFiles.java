package k210studio.app.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The most recently opened or saved files, newest first, kept in a small text file in the studio's home folder. */
public final class RecentFiles {
    public static final int MAX = 10;
    private final Path store;
    private final List<Path> files = new ArrayList<>();
    private Runnable onChange = () -> { };

    public RecentFiles(Path store) {
        this.store = store;
        try {
            if (Files.isRegularFile(store)) {
                for (String line : Files.readAllLines(store, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && files.size() < MAX) {
                        files.add(Path.of(line.trim()));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable list is simply empty; it is rewritten on the next open
            files.clear();
        }
    }

    /** Called after every change (the window rebuilds its Open Recent menu). */
    public void setOnChange(Runnable r) {
        onChange = r == null ? () -> { } : r;
    }

    /** Newest first; files that no longer exist are left out. */
    public List<Path> list() {
        List<Path> out = new ArrayList<>();
        for (Path p : files) {
            if (Files.exists(p)) {
                out.add(p);
            }
        }
        return out;
    }

    public void add(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        files.remove(abs);
        files.add(0, abs);
        while (files.size() > MAX) {
            files.remove(files.size() - 1);
        }
        save();
        onChange.run();
    }

    private void save() {
        try {
            Files.createDirectories(store.getParent());
            List<String> lines = new ArrayList<>();
            files.forEach(p -> lines.add(p.toString()));
            Files.write(store, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the recent list is a convenience: failing to store it must not disturb the user's work
        }
    }
}
