package k210studio.assets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The resources the studio ships: sample projects ({@code samples/*.k210proj}), sample images
 * ({@code images/...}) and label files ({@code labels/*.txt}). Names are relative paths such as
 * {@code "samples/brief_two_class.k210proj"}; the list comes from {@code index.txt} beside them
 * (resources inside a jar cannot be listed otherwise). This module knows nothing of the IR: it hands
 * out streams and URLs, and the caller parses them (e.g. {@code ProjectFile.read(stream, name)}).
 */
public final class Assets {
    /** Class-path folder of the assets (no leading slash). */
    public static final String ROOT = "k210studio/assets/";

    private static final List<String> ALL = readIndex();

    private Assets() {
    }

    /** Every asset name, sorted. */
    public static List<String> all() {
        return ALL;
    }

    /** The sample projects, e.g. {@code "samples/brief_two_class.k210proj"}. */
    public static List<String> samples() {
        return under("samples/", ".k210proj");
    }

    /** The sample images (JPEG, BMP and PNG). */
    public static List<String> images() {
        List<String> out = new ArrayList<>();
        for (String n : under("images/", "")) {
            String l = n.toLowerCase(Locale.ROOT);
            if (l.endsWith(".jpg") || l.endsWith(".jpeg") || l.endsWith(".bmp") || l.endsWith(".png")) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    /** The label files, e.g. {@code "labels/voc20.txt"}. */
    public static List<String> labelFiles() {
        return under("labels/", ".txt");
    }

    /** True if an asset of this name exists. */
    public static boolean exists(String name) {
        return ALL.contains(name);
    }

    /**
     * The URL of an asset.
     *
     * @throws IllegalArgumentException naming the known assets if there is none of that name
     */
    public static URL url(String name) {
        URL u = exists(name) ? Assets.class.getClassLoader().getResource(ROOT + name) : null;
        if (u == null) {
            throw new IllegalArgumentException("no bundled asset named '" + name + "' (known: " + ALL + ")");
        }
        return u;
    }

    /** Opens an asset for reading; the caller closes the stream. */
    public static InputStream open(String name) throws IOException {
        return url(name).openStream();
    }

    /** The non-empty lines of a text asset (a label file: line i is class i), trailing whitespace removed. */
    public static List<String> lines(String name) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open(name), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String t = line.stripTrailing();
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return List.copyOf(out);
    }

    /** The asset's file name without folder and extension: "samples/brief_two_class.k210proj" → "brief_two_class". */
    public static String stem(String name) {
        String f = name.substring(name.lastIndexOf('/') + 1);
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    private static List<String> under(String folder, String suffix) {
        List<String> out = new ArrayList<>();
        for (String n : ALL) {
            if (n.startsWith(folder) && n.endsWith(suffix)) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    private static List<String> readIndex() {
        InputStream in = Assets.class.getClassLoader().getResourceAsStream(ROOT + "index.txt");
        if (in == null) {
            throw new IllegalStateException("the assets index " + ROOT + "index.txt is missing from the class path (broken build)");
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return List.copyOf(out);
    }
}
