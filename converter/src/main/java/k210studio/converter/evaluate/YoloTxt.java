package k210studio.converter.evaluate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * YOLO label files (darknet, Ultralytics, LabelImg's YOLO mode): one object per line, {@code class cx cy w h} with the
 * centre and size relative to the image (0…1). Blank lines are skipped; extra columns (a confidence, segment points)
 * are refused, since their meaning differs between tools.
 */
public final class YoloTxt {
    private YoloTxt() {
    }

    /** The objects of one file, in pixels of an image {@code imageW} × {@code imageH}. */
    public static List<TruthBox> read(Path file, int imageW, int imageH) throws EvaluateException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EvaluateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<TruthBox> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 5) {
                throw new EvaluateException(file.getFileName() + " line " + (n + 1) + ": expected 'class cx cy w h' (5 numbers), got "
                        + f.length + " fields");
            }
            int cls;
            float[] v = new float[4];
            try {
                cls = Integer.parseInt(f[0]);
                for (int i = 0; i < 4; i++) {
                    v[i] = Float.parseFloat(f[i + 1]);
                }
            } catch (NumberFormatException e) {
                throw new EvaluateException(file.getFileName() + " line " + (n + 1) + ": '" + line + "' is not 'class cx cy w h'");
            }
            if (cls < 0) {
                throw new EvaluateException(file.getFileName() + " line " + (n + 1) + ": class " + cls + " is negative");
            }
            for (float x : v) {
                if (!(x >= 0 && x <= 1.0001f)) {
                    throw new EvaluateException(file.getFileName() + " line " + (n + 1) + ": YOLO coordinates are fractions of the image "
                            + "(0…1), got " + x + " — pixel coordinates belong in a VOC XML file");
                }
            }
            if (!(v[2] > 0) || !(v[3] > 0)) {
                throw new EvaluateException(file.getFileName() + " line " + (n + 1) + ": the box has no width or height");
            }
            float w = v[2] * imageW;
            float h = v[3] * imageH;
            out.add(new TruthBox(cls, v[0] * imageW - w / 2, v[1] * imageH - h / 2, w, h, false));
        }
        return out;
    }

    /**
     * Class names beside YOLO labels: {@code classes.txt} (LabelImg), {@code obj.names} or any {@code *.names}
     * (darknet), one per line; or the {@code names:} of an Ultralytics {@code data.yaml} ({@code [a, b]}, a block
     * list or {@code 0: a} lines). Empty when none is found.
     */
    public static List<String> classNames(Path dir) throws EvaluateException {
        try {
            Path classes = dir.resolve("classes.txt");
            if (Files.isRegularFile(classes)) {
                return lines(classes);
            }
            try (var s = Files.list(dir)) {
                for (Path p : s.sorted().toList()) {
                    if (p.getFileName().toString().endsWith(".names") && Files.isRegularFile(p)) {
                        return lines(p);
                    }
                }
            }
            for (String y : List.of("data.yaml", "dataset.yaml")) {
                if (Files.isRegularFile(dir.resolve(y))) {
                    return yamlNames(Files.readAllLines(dir.resolve(y), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new EvaluateException("cannot read the class names in " + dir + ": " + e.getMessage(), e);
        }
        return List.of();
    }

    /** True for the files that name classes rather than label an image. */
    static boolean isClassList(Path p) {
        String n = p.getFileName().toString();
        return n.equals("classes.txt") || n.endsWith(".names");
    }

    private static List<String> lines(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                out.add(l.strip());
            }
        }
        return out;
    }

    static List<String> yamlNames(List<String> yaml) {
        List<String> out = new ArrayList<>();
        boolean inNames = false;
        for (String raw : yaml) {
            String l = raw.replaceFirst("\\s+#.*$", "");
            if (l.isBlank()) {
                continue;
            }
            if (!inNames) {
                if (l.startsWith("names:")) {
                    String rest = l.substring(6).trim();
                    if (rest.startsWith("[")) {
                        for (String s : rest.replaceAll("[\\[\\]]", "").split(",")) {
                            if (!s.isBlank()) {
                                out.add(unquote(s.trim()));
                            }
                        }
                        return out;
                    }
                    inNames = true;
                }
                continue;
            }
            if (!Character.isWhitespace(l.charAt(0))) {
                break;
            }
            String s = l.trim();
            if (s.startsWith("- ")) {
                out.add(unquote(s.substring(2).trim()));
            } else if (s.matches("\\d+\\s*:.*")) {
                out.add(unquote(s.substring(s.indexOf(':') + 1).trim()));
            }
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\"")) ? s.substring(1, s.length() - 1) : s;
    }
}
