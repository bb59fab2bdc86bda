package k210studio.converter.evaluate;

import java.nio.file.Path;
import java.util.List;

/**
 * A folder of images to evaluate on, as {@link DatasetReader} found it.
 *
 * @param root     the dataset folder
 * @param layout   how it is labelled
 * @param classes  the class names the report uses, index = the model's class index (the model's labels when it has
 *                 them, else the dataset's own names)
 * @param images   the images in path order
 * @param warnings what was skipped or guessed, for the user
 */
public record EvalDataset(Path root, Layout layout, List<String> classes, List<EvalImage> images, List<String> warnings) {

    /** How the images are labelled. */
    public enum Layout {
        /** One sub-folder of images per class (Keras {@code image_dataset_from_directory}). */
        CLASS_FOLDERS("class folders"),
        /** Pascal VOC XML or YOLO txt boxes beside the images. */
        BOXES("boxes"),
        /** No labels: only the agreement of the K210 with the float model can be measured. */
        UNLABELLED("unlabelled");

        private final String title;

        Layout(String title) {
            this.title = title;
        }

        /** "class folders", "boxes", "unlabelled" (also the JSON value). */
        public String title() {
            return title;
        }
    }

    public EvalDataset {
        classes = List.copyOf(classes);
        images = List.copyOf(images);
        warnings = List.copyOf(warnings);
    }

    /** The class name of index i, or "class i" when the report has no name for it. */
    public String className(int i) {
        return i >= 0 && i < classes.size() ? classes.get(i) : "class " + i;
    }
}
