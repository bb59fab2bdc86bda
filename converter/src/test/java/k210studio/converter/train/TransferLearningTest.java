package k210studio.converter.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.converter.quant.QuantRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transfer learning on the bundled MobileNet v1 0.25 with a frozen backbone (the Trainer API; the CLI test covers k210 train). */
class TransferLearningTest {
    @TempDir
    Path tmp;

    @Test
    void frozenBackboneLearnsThreePhotoClassesAndTheK210Agrees() throws Exception {
        Path data = ClassFolders.build(tmp.resolve("data"), List.of("images/cat.bmp", "images/grace_hopper.bmp", "images/face.jpg"),
                List.of("cat", "hopper", "people"), 40, 136, 5);
        ImageFolder f = ImageFolder.scan(data);
        DatasetSplit split = DatasetSplit.of(f, 0.2, 1);
        TrainingSetup setup = Backbones.transfer(Backbones.MOBILENET_025, 3, 0, 1);
        List<EpochStats> seen = new ArrayList<>();
        long t0 = System.nanoTime();
        TrainingResult r = Trainer.train(setup, split, TrainOptions.defaults().withEpochs(20).withLearningRate(3e-3f).withCache(2, 64L << 20)
                .withK210(0, QuantRules.V3), new Trainer.Listener() {
                    @Override
                    public void epoch(EpochStats s) {
                        seen.add(s);
                        System.out.println(s);
                    }
                }, () -> false);
        System.out.println("total " + (System.nanoTime() - t0) / 1e9 + " s; final K210 " + r.finalK210() + " " + r.k210Error());
        assertThat(r.history()).hasSize(20);
        assertThat(r.best().valAccuracy()).isGreaterThanOrEqualTo(0.9);
        assertThat(r.finalK210()).isNotNull();
        assertThat(r.finalK210().agreement()).isGreaterThanOrEqualTo(0.95);
    }

    /**
     * When the frozen features do not fit the cache they are recomputed every epoch (memory stays at one batch, as
     * for 2,000 pictures at 224×224), and stopping after an epoch keeps the best weights so far.
     */
    @Test
    void withoutRoomForTheCacheFeaturesStreamAndStopKeepsTheBestWeights() throws Exception {
        Path data = ClassFolders.build(tmp.resolve("small"), List.of("images/cat.bmp", "images/grace_hopper.bmp", "images/face.jpg"),
                List.of("cat", "hopper", "people"), 8, 96, 8);
        DatasetSplit split = DatasetSplit.of(ImageFolder.scan(data), 0.25, 1);
        TrainingSetup setup = Backbones.transfer(Backbones.MOBILENET_025, 3, 0, 1);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        TrainingResult r = Trainer.train(setup, split, TrainOptions.defaults().withEpochs(10).withLearningRate(3e-3f).withCache(4, 1024)
                .withK210(0, null), new Trainer.Listener() {
                    @Override
                    public void epoch(EpochStats s) {
                        if (s.epoch() == 2) {
                            stop.set(true);
                        }
                    }
                }, stop::get);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("recomputed every epoch"));
        assertThat(r.stopped()).isTrue();
        assertThat(r.history()).hasSize(2);
        assertThat(r.bestEpoch()).isBetween(1, 2);
        assertThat(r.graph().layerNamed("predictions").weight("kernel"))
                .isNotEqualTo(setup.graph().layerNamed("predictions").weight("kernel"));
        assertThat(r.finalK210()).isNull();
    }
}
