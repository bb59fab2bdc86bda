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
}
