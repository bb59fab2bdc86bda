package k210studio.app.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import k210studio.assets.Assets;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.RgbImage;

/**
 * Where Simulate's picture comes from: a bundled image, a file (opened or dropped), or a folder stepped through.
 * The chooser lists the bundled images and every file picked since, and always shows the current one, however it
 * was picked; a folder's images join the list as they are shown.
 */
public final class ImageSource {
    public static final List<String> EXTENSIONS = List.of("*.jpg", "*.jpeg", "*.png", "*.bmp");

    private final ObservableList<String> choices = FXCollections.observableArrayList();
    private final ObjectProperty<String> choice = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper info = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<RgbImage> image = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper folderOpen = new ReadOnlyBooleanWrapper(false);
    private final BiConsumer<String, String> errors;
    private String current;
    private List<Path> folder = List.of();
    private int folderIndex = -1;

    ImageSource(BiConsumer<String, String> errors) {
        this.errors = errors;
        choices.addAll(Assets.images());
        choice.addListener((o, a, b) -> {
            if (b != null && !b.equals(current)) {
                select(b);
            }
        });
    }

    /** The chooser's items: bundled asset names, then picked file paths. */
    public ObservableList<String> choices() {
        return choices;
    }

    /** The chooser's value: the current image's asset name or path. */
    public ObjectProperty<String> choiceProperty() {
        return choice;
    }

    /** "face.jpg  512×355". */
    public ReadOnlyStringProperty infoProperty() {
        return info.getReadOnlyProperty();
    }

    /** The picked image, or null. */
    public ReadOnlyObjectProperty<RgbImage> imageProperty() {
        return image.getReadOnlyProperty();
    }

    /** True while a folder is open (◀ ▶ step through it). */
    public ReadOnlyBooleanProperty folderOpenProperty() {
        return folderOpen.getReadOnlyProperty();
    }

    /** The current image's asset name or path, or null. */
    public String current() {
        return current;
    }

    /** How the chooser names an entry: a bundled image by its asset name, a file by its name and folder. */
    public static String display(String assetOrPath) {
        if (assetOrPath == null) {
            return "";
        }
        if (Assets.exists(assetOrPath)) {
            return assetOrPath;
        }
        Path p = Path.of(assetOrPath);
        return p.getFileName() + (p.getParent() == null ? "" : "  — " + p.getParent());
    }

    /** Shows a bundled image ("images/face.jpg") or an image file; false (and an error) when it cannot be read. */
    public boolean select(String assetOrPath) {
        try {
            RgbImage img = Simulator.readImage(assetOrPath);
            current = assetOrPath;
            if (!choices.contains(assetOrPath)) {
                choices.add(assetOrPath);
            }
            choice.set(assetOrPath);
            info.set(Path.of(assetOrPath).getFileName().toString() + "  " + img.width() + "×" + img.height());
            image.set(img);
            return true;
        } catch (ImageDecodeException | IOException | RuntimeException e) {
            choice.set(current);
            errors.accept("Cannot read the image", assetOrPath + ": " + e.getMessage());
            return false;
        }
    }

    /** Opens a folder to step through (its images sorted by name) and shows the first. */
    public boolean openFolder(Path dir) {
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(Files::isRegularFile).filter(ImageSource::isImage).sorted().toList();
        } catch (IOException e) {
            errors.accept("Cannot list the folder", dir + ": " + e.getMessage());
            return false;
        }
        if (found.isEmpty()) {
            errors.accept("No images", dir + " holds no .jpg, .png or .bmp images.");
            return false;
        }
        folder = found;
        folderIndex = 0;
        folderOpen.set(true);
        return select(folder.get(0).toString());
    }

    /** The next (+1) or previous (−1) image of the open folder; false when no folder is open. */
    public boolean step(int d) {
        if (folder.isEmpty()) {
            return false;
        }
        folderIndex = Math.floorMod(folderIndex + d, folder.size());
        return select(folder.get(folderIndex).toString());
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp");
    }
}
