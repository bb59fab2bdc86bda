package k210studio.converter.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The result of evaluating a float model and its K210 model on a dataset.
 *
 * @param dataset    what was evaluated
 * @param target     the K210 model's kmodel version ("v3", "v4")
 * @param decoding   how the outputs were read
 * @param results    per image (dataset order), null for images left out by a cancel
 * @param classifier classifier figures, null for a detector
 * @param detector   detector figures, null for a classifier
 * @param cancelled  true when the run was cancelled before every image was done
 */
public record EvalReport(EvalDataset dataset, String target, OutputDecoding decoding, List<ImageResult> results,
                         ClassifierFigures classifier, DetectorFigures detector, boolean cancelled) {

    public EvalReport {
        results = java.util.Collections.unmodifiableList(new ArrayList<>(results));
    }

    /** Images evaluated. */
    public int evaluated() {
        return (int) results.stream().filter(r -> r != null).count();
    }

    /** Images in the dataset (evaluated or not). */
    public int total() {
        return results.size();
    }

    /** The {@code n} images on which the K210 departs most from float, worst first (ties in dataset order). */
    public List<ImageResult> worst(int n) {
        List<ImageResult> done = new ArrayList<>(results.stream().filter(r -> r != null).toList());
        done.sort(Comparator.comparingDouble(ImageResult::disagreement).reversed());
        return List.copyOf(done.subList(0, Math.min(Math.max(0, n), done.size())));
    }
}
