package k210studio.converter.train;

import java.util.ArrayList;
import java.util.List;
import k210studio.converter.train.DatasetSplit.Sample;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;

/**
 * The project a training run leaves: the trained network, the dataset's class names as labels, the preprocessing
 * the network was trained with, and a few training pictures (two per class, at most eight) as sample images so
 * that Simulate and Export calibrate on pictures like the ones the model will see.
 */
public final class TrainedProject {
    private TrainedProject() {
    }

    /**
     * @param base the project that was trained (its name and target are kept), or null for a backbone run
     */
    public static Project of(Project base, TrainingSetup setup, TrainingResult result, DatasetSplit data) {
        ProjectSettings s = base != null ? base.settings()
                : ProjectSettings.defaults(setup.graph().name().isBlank() ? "trained classifier" : setup.graph().name());
        return new Project(result.graph(), s.withLabels(data.classes()).withPreprocessing(setup.preprocessing())
                .withSampleImages(samples(data)));
    }

    static List<String> samples(DatasetSplit data) {
        List<String> out = new ArrayList<>();
        int[] per = new int[data.classes().size()];
        for (Sample s : data.train()) {
            if (per[s.label()] < 2 && out.size() < 8) {
                per[s.label()]++;
                out.add(s.file().toAbsolutePath().toString());
            }
        }
        return out;
    }
}
