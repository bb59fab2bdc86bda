package k210studio.converter.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A classification dataset as a folder of class sub-folders ({@code dataset/cat/*.jpg, dataset/dog/*.png …}),
 * the layout Keras' {@code image_dataset_from_directory}, MaixHub and Edge Impulse use. Classes are the
 * sub-folder names in sorted order (class i = the i-th name, as Keras numbers them); images are .jpg, .jpeg,
 * .png and .bmp files anywhere below a class folder. Only paths are held: pictures are decoded when a batch
 * needs them.
 *
 * @param root    the dataset folder
 * @param classes class names, sorted
 * @param files   per class, its image files sorted by path
 */
public record ImageFolder(Path root, List<String> classes, List<List<Path>> files) {
    private static final List<String> IMAGE_EXT = List.of(".jpg", ".jpeg", ".png", ".bmp");

    public ImageFolder {
        classes = List.copyOf(classes);
        files = files.stream().map(List::copyOf).toList();
    }

    /** Scans a dataset folder; the message of the exception says what is wrong with the layout and how to fix it. */
    public static ImageFolder scan(Path root) throws TrainingException {
        if (!Files.isDirectory(root)) {
            throw new TrainingException("the dataset " + root + " is not a folder: give a folder with one sub-folder of images per class");
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new TrainingException("cannot list " + root + ": " + e.getMessage(), e);
        }
        List<String> classes = new ArrayList<>();
        List<List<Path>> files = new ArrayList<>();
        for (Path d : dirs) {
            List<Path> imgs;
            try (Stream<Path> s = Files.walk(d)) {
                imgs = s.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
            } catch (IOException e) {
                throw new TrainingException("cannot list " + d + ": " + e.getMessage(), e);
            }
            if (imgs.isEmpty()) {
                throw new TrainingException("the class folder " + d.getFileName() + " holds no images (.jpg .jpeg .png .bmp): "
                        + "add pictures or remove the folder");
            }
            classes.add(d.getFileName().toString());
            files.add(imgs);
        }
        if (classes.size() < 2) {
            throw new TrainingException("the dataset " + root + " has " + classes.size() + " class folder(s): a classifier needs at "
                    + "least two sub-folders of images, one per class (e.g. " + root.resolve("cat") + ", " + root.resolve("dog") + ")");
        }
        return new ImageFolder(root, classes, files);
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_EXT.stream().anyMatch(n::endsWith);
    }

    public int imageCount() {
        return files.stream().mapToInt(List::size).sum();
    }

    /** "3 classes, 120 images: cat 40, face 40, hopper 40" */
    public String summary() {
        StringBuilder b = new StringBuilder(classes.size() + " classes, " + imageCount() + " images:");
        for (int i = 0; i < classes.size(); i++) {
            b.append(i == 0 ? " " : ", ").append(classes.get(i)).append(' ').append(files.get(i).size());
        }
        return b.toString();
    }
}
