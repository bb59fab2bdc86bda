package k210studio.converter.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Finds out how a folder of images is labelled and reads the labels:
 * <ul>
 * <li><b>boxes</b> when any image has a Pascal VOC {@code .xml} or a YOLO {@code .txt} with the same name beside it, in
 * a VOC {@code Annotations/} folder next to its {@code JPEGImages/}, or in an Ultralytics {@code labels/} tree mirroring
 * {@code images/} (an image without one has no objects);</li>
 * <li><b>class folders</b> when there is no such file and the folder has sub-folders of images: class = sub-folder
 * (images anywhere below it); sub-folders map to the model's labels by their text, or — without labels — are numbered
 * in sorted order as Keras does;</li>
 * <li><b>unlabelled</b> otherwise (every image below the folder): only the agreement with the float model counts.</li>
 * </ul>
 */
public final class DatasetReader {
    private static final List<String> IMAGE_EXT = List.of(".jpg", ".jpeg", ".png", ".bmp");

    private DatasetReader() {
    }

    /**
     * @param labels  the model's class names (index = output class), or empty
     * @param classes how many classes the model tells apart, or −1 when unknown
     */
    public static EvalDataset read(Path root, List<String> labels, int classes) throws EvaluateException {
        if (!Files.isDirectory(root)) {
            throw new EvaluateException("the dataset " + root + " is not a folder: give a folder of images (one sub-folder per class, "
                    + "or images with VOC .xml / YOLO .txt boxes beside them)");
        }
        List<Path> images = images(root);
        if (images.isEmpty()) {
            throw new EvaluateException("the dataset " + root + " holds no images (.jpg .jpeg .png .bmp)");
        }
        Map<Path, Path> annotations = new LinkedHashMap<>();
        for (Path img : images) {
            Path a = annotationOf(img);
            if (a != null) {
                annotations.put(img, a);
            }
        }
        if (!annotations.isEmpty()) {
            return boxes(root, images, annotations, labels, classes);
        }
        List<Path> folders = classFolders(root);
        if (folders.size() >= 2 || folders.size() == 1 && !labels.isEmpty()) {
            return classFolders(root, folders, images, labels, classes);
        }
        List<String> warnings = new ArrayList<>();
        if (folders.size() == 1) {
            warnings.add("one sub-folder (" + folders.get(0).getFileName() + ") and no labels: evaluated as unlabelled images "
                    + "(agreement with float only); give the model's labels to score it as a class");
        }
        List<EvalImage> out = new ArrayList<>();
        for (Path p : images) {
            out.add(new EvalImage(p, relative(root, p), -1, null));
        }
        return new EvalDataset(root, EvalDataset.Layout.UNLABELLED, labels, out, warnings);
    }

    private static EvalDataset classFolders(Path root, List<Path> folders, List<Path> images, List<String> labels, int classes)
            throws EvaluateException {
        List<String> warnings = new ArrayList<>();
        long loose = images.stream().filter(p -> root.equals(p.getParent())).count();
        if (loose > 0) {
            warnings.add(loose + " image(s) directly in " + root.getFileName() + " belong to no class folder and are left out");
        }
        List<String> names = new ArrayList<>();
        int[] index = new int[folders.size()];
        for (int f = 0; f < folders.size(); f++) {
            String name = folders.get(f).getFileName().toString();
            if (labels.isEmpty()) {
                index[f] = f;
                names.add(name);
                continue;
            }
            int i = ClassNames.indexOf(labels, name);
            if (i < 0) {
                List<String> near = ClassNames.near(labels, name);
                throw new EvaluateException("the class folder '" + name + "' matches none of the model's " + labels.size() + " labels"
                        + (near.isEmpty() ? "" : " (close: " + String.join("; ", near) + ")")
                        + ": rename the folder to the label's text, or give the labels file the model was trained with");
            }
            index[f] = i;
        }
        if (labels.isEmpty() && classes > 0 && folders.size() > classes) {
            throw new EvaluateException("the dataset has " + folders.size() + " class folders but the model tells " + classes
                    + " classes apart: give the model's labels so the folders can be matched by name");
        }
        if (labels.isEmpty() && classes > 0 && folders.size() < classes) {
            warnings.add("no labels: class folders are numbered in sorted order (" + String.join(", ", names) + " = classes 0…"
                    + (names.size() - 1) + " of " + classes + ")");
        }
        List<EvalImage> out = new ArrayList<>();
        for (int f = 0; f < folders.size(); f++) {
            Path folder = folders.get(f);
            for (Path p : images) {
                if (p.startsWith(folder)) {
                    out.add(new EvalImage(p, relative(root, p), index[f], null));
                }
            }
        }
        return new EvalDataset(root, EvalDataset.Layout.CLASS_FOLDERS, labels.isEmpty() ? names : labels, out, warnings);
    }

    private static EvalDataset boxes(Path root, List<Path> images, Map<Path, Path> annotations, List<String> labels, int classes)
            throws EvaluateException {
        List<String> warnings = new ArrayList<>();
        List<String> yoloNames = YoloTxt.classNames(root);
        Map<Path, List<VocXml.NamedBox>> voc = new LinkedHashMap<>();
        TreeSet<String> vocNames = new TreeSet<>();
        for (Map.Entry<Path, Path> e : annotations.entrySet()) {
            if (e.getValue().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml")) {
                List<VocXml.NamedBox> b = VocXml.read(e.getValue());
                voc.put(e.getKey(), b);
                b.forEach(x -> vocNames.add(x.name()));
            }
        }
        List<String> names = !labels.isEmpty() ? labels : !yoloNames.isEmpty() ? yoloNames : new ArrayList<>(vocNames);
        if (labels.isEmpty() && !vocNames.isEmpty() && classes > 1) {
            warnings.add("no labels: VOC object names are numbered in sorted order (" + String.join(", ", vocNames) + ")");
        }
        int missing = images.size() - annotations.size();
        if (missing > 0) {
            warnings.add(missing + " image(s) have no box file and count as images without objects");
        }
        List<EvalImage> out = new ArrayList<>();
        for (Path img : images) {
            Path a = annotations.get(img);
            List<TruthBox> boxes = new ArrayList<>();
            if (a != null && voc.containsKey(img)) {
                for (VocXml.NamedBox b : voc.get(img)) {
                    int c = vocClass(b.name(), labels, new ArrayList<>(vocNames), classes, a);
                    boxes.add(new TruthBox(c, b.x(), b.y(), b.w(), b.h(), b.difficult()));
                }
            } else if (a != null) {
                int[] size = imageSize(img);
                for (TruthBox b : YoloTxt.read(a, size[0], size[1])) {
                    int c = yoloClass(b.classId(), yoloNames, labels);
                    boxes.add(new TruthBox(c, b.x(), b.y(), b.w(), b.h(), false));
                }
            }
            for (TruthBox b : boxes) {
                if (classes > 0 && b.classId() >= classes) {
                    throw new EvaluateException((a == null ? img : a).getFileName() + " labels class " + b.classId() + " but the model tells "
                            + classes + " class(es) apart (0…" + (classes - 1) + ")");
                }
            }
            out.add(new EvalImage(img, relative(root, img), -1, boxes));
        }
        return new EvalDataset(root, EvalDataset.Layout.BOXES, names, out, warnings);
    }

    private static int vocClass(String name, List<String> labels, List<String> sortedNames, int classes, Path file) throws EvaluateException {
        if (classes == 1) {
            return 0;
        }
        if (labels.isEmpty()) {
            return sortedNames.indexOf(name);
        }
        int i = ClassNames.indexOf(labels, name);
        if (i < 0) {
            throw new EvaluateException(file.getFileName() + ": object '" + name + "' matches none of the model's labels ("
                    + String.join(", ", labels.subList(0, Math.min(labels.size(), 8))) + (labels.size() > 8 ? ", …" : "") + ")");
        }
        return i;
    }

    /** A YOLO id names the class in the dataset's own list; with model labels, that name is looked up among them. */
    private static int yoloClass(int id, List<String> yoloNames, List<String> labels) {
        if (labels.isEmpty() || id >= yoloNames.size()) {
            return id;
        }
        int i = ClassNames.indexOf(labels, yoloNames.get(id));
        return i >= 0 ? i : id;
    }

    /** The box file of an image, or null. */
    static Path annotationOf(Path img) {
        String base = stem(img);
        Path dir = img.getParent();
        for (String ext : List.of(".xml", ".txt")) {
            Path beside = dir.resolve(base + ext);
            if (Files.isRegularFile(beside) && !YoloTxt.isClassList(beside)) {
                return beside;
            }
        }
        if (dir.getFileName() != null && dir.getFileName().toString().equals("JPEGImages") && dir.getParent() != null) {
            Path voc = dir.getParent().resolve("Annotations").resolve(base + ".xml");
            if (Files.isRegularFile(voc)) {
                return voc;
            }
        }
        // Ultralytics: …/images/<split>/a.jpg ↔ …/labels/<split>/a.txt (the last "images" component)
        List<String> parts = new ArrayList<>();
        img.forEach(p -> parts.add(p.toString()));
        int k = parts.lastIndexOf("images");
        if (k >= 0) {
            Path root = img.getRoot() == null ? Path.of("") : img.getRoot();
            Path labels = root;
            for (int i = 0; i < parts.size() - 1; i++) {
                labels = labels.resolve(i == k ? "labels" : parts.get(i));
            }
            Path txt = labels.resolve(base + ".txt");
            if (Files.isRegularFile(txt)) {
                return txt;
            }
        }
        return null;
    }

    private static List<Path> images(Path root) throws EvaluateException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(DatasetReader::isImage).filter(p -> !hidden(root, p)).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new EvaluateException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> classFolders(Path root) throws EvaluateException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path d : s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                try (Stream<Path> w = Files.walk(d)) {
                    if (w.anyMatch(p -> Files.isRegularFile(p) && isImage(p))) {
                        out.add(d);
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new EvaluateException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Width and height from the image header (no full decode). */
    static int[] imageSize(Path img) throws EvaluateException {
        try (ImageInputStream in = ImageIO.createImageInputStream(img.toFile())) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (readers.hasNext()) {
                ImageReader r = readers.next();
                try {
                    r.setInput(in);
                    return new int[] {r.getWidth(0), r.getHeight(0)};
                } finally {
                    r.dispose();
                }
            }
        } catch (IOException e) {
            throw new EvaluateException("cannot read the size of " + img.getFileName() + ": " + e.getMessage(), e);
        }
        throw new EvaluateException(img.getFileName() + " is not a JPEG, PNG or BMP image");
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_EXT.stream().anyMatch(n::endsWith);
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }

    static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }
}
