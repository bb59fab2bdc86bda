package k210studio.converter.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole design trained from scratch (no pretrained weights, BatchNormalization with batch statistics) on the
 * ten MNIST-style digit fixtures, each augmented into 12 pictures: the loss must fall and validation accuracy
 * end far above the 10 % of chance.
 */
class FromScratchTest {
    @TempDir
    Path tmp;

    static Project digitNet() {
        Graph g = new Graph("digits");
        String x = g.add("input_1", new Input(TensorShape.hwc(28, 28, 1)));
        x = g.add("conv1", new Conv2D(8, 3, 3, 1, 1, Padding.SAME, 1, 1, false, ActivationFn.LINEAR), x);
        x = g.add("bn1", BatchNormalization.keras(), x);
        x = g.add("relu1", ReLU.plain(), x);
        x = g.add("pool1", MaxPooling2D.of(2, 2, Padding.VALID), x);
        x = g.add("conv2", new Conv2D(16, 3, 3, 1, 1, Padding.SAME, 1, 1, true, ActivationFn.RELU), x);
        x = g.add("pool2", MaxPooling2D.of(2, 2, Padding.VALID), x);
        x = g.add("flatten", new Flatten(), x);
        x = g.add("dropout", new Dropout(0.2f), x);
        x = g.add("dense", new Dense(10, true, ActivationFn.SOFTMAX), x);
        g.setOutputs(List.of(x));
        return new Project(g, ProjectSettings.defaults("digits").withPreprocessing(
                new Preprocessing(List.of(0f), List.of(1f), ChannelOrder.GRAY, 1f / 255f)));
    }

    @Test
    void digitsFromScratchLearn() throws Exception {
        List<String> fixtures = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            fixtures.add("images/digits/digit_" + d + ".png");
            classes.add("digit_" + d);
        }
        Path data = ClassFolders.build(tmp.resolve("digits"), fixtures, classes, 12, 28, 3, 0.7f, false);
        DatasetSplit split = DatasetSplit.of(ImageFolder.scan(data), 0.25, 2);
        TrainingSetup setup = TrainingSetup.wholeNetwork(digitNet());
        TrainingResult r = Trainer.train(setup, split, TrainOptions.defaults().withEpochs(12).withBatchSize(16).withLearningRate(3e-3f)
                .withAugmentation(new Augmentation(0.9f, false, 0.1f)).withK210(0, null), new Trainer.Listener() {
                    @Override
                    public void epoch(EpochStats s) {
                        System.out.printf("epoch %d loss %.3f acc %.3f val %.3f/%.3f %.2fs%n", s.epoch(), s.trainLoss(), s.trainAccuracy(),
                                s.valLoss(), s.valAccuracy(), s.seconds());
                    }
                }, () -> false);
        List<EpochStats> h = r.history();
        assertThat(h.get(h.size() - 1).trainLoss()).as("training loss falls").isLessThan(h.get(0).trainLoss() * 0.5);
        assertThat(r.best().valAccuracy()).as("far above the 10 %% of chance").isGreaterThanOrEqualTo(0.6);
    }
}
