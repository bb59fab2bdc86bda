package k210studio.converter.evaluate;

import java.nio.file.Path;
import java.util.List;

/**
 * One image of an evaluation dataset and what it is labelled with.
 *
 * @param file  the picture
 * @param name  its path relative to the dataset folder ("cat/cat_001.png"), as reports show it
 * @param label the model's class index of a classification image, −1 when the dataset has no class labels
 * @param boxes the objects of a detection image (empty: an image without objects), null when the dataset has no boxes
 */
public record EvalImage(Path file, String name, int label, List<TruthBox> boxes) {
    public EvalImage {
        boxes = boxes == null ? null : List.copyOf(boxes);
    }
}
