package k210studio.converter.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The train/validation split of an {@link ImageFolder}: per class (stratified), the files in path order are
 * shuffled with the seed and the first round(n · fraction) go to validation — at least one when the class has
 * two or more images and the fraction is above 0, never all of them. The same folder, fraction and seed always
 * give the same split.
 *
 * @param classes    class names
 * @param train      training images
 * @param validation validation images
 */
public record DatasetSplit(List<String> classes, List<Sample> train, List<Sample> validation) {

    /** One image and its class index. */
    public record Sample(java.nio.file.Path file, int label) {
    }

    public DatasetSplit {
        classes = List.copyOf(classes);
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    public static DatasetSplit of(ImageFolder f, double valFraction, long seed) {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("the validation split must be in [0, 1), got " + valFraction);
        }
        List<Sample> train = new ArrayList<>();
        List<Sample> val = new ArrayList<>();
        for (int c = 0; c < f.classes().size(); c++) {
            List<java.nio.file.Path> files = new ArrayList<>(f.files().get(c));
            Collections.shuffle(files, new Random(seed * 1_000_003L + c));
            int n = files.size();
            int v = (int) Math.round(n * valFraction);
            if (valFraction > 0 && n >= 2) {
                v = Math.max(1, Math.min(v, n - 1));
            }
            for (int i = 0; i < n; i++) {
                (i < v ? val : train).add(new Sample(files.get(i), c));
            }
        }
        return new DatasetSplit(f.classes(), train, val);
    }

    /** Per class: how many training and validation images. */
    public int[][] counts() {
        int[][] c = new int[classes.size()][2];
        train.forEach(s -> c[s.label()][0]++);
        validation.forEach(s -> c[s.label()][1]++);
        return c;
    }
}
