package k210studio.kpu.kmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** Images run across the cores (the eval path) give, in order, exactly what one runtime gives image by image. */
class KmodelBatchRunnerTest {
    @Test
    void batchOfMobilenetImagesMatchesSerialRunsByteForByte() throws Exception {
        Kmodel m = KmodelFiles.read(SharedFixtures.fixture("kmodel/v3/mobilenet_v1_0.75_1000cls.kmodel"));
        TensorDescription d = m.inputs().get(0);
        int[] shape = d.shape().stream().mapToInt(Integer::intValue).toArray();
        Random rnd = new Random(13);
        List<List<KmodelTensor>> inputs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] b = new byte[(int) d.elementCount() * d.type().byteSize()];
            rnd.nextBytes(b);
            inputs.add(List.of(KmodelTensor.ofBytes(d.type(), shape, b)));
        }
        List<RunResult> batch;
        try (KmodelBatchRunner runner = new KmodelBatchRunner(m, RunOptions.defaults(), 2)) {
            batch = runner.runAll(inputs);
        }
        KmodelRuntime serial = m.newRuntime(RunOptions.defaults());
        assertThat(batch).hasSize(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(batch.get(i).output(0).bytes()).as("image %d", i)
                    .isEqualTo(serial.run(inputs.get(i)).output(0).bytes());
        }
        assertThat(batch.get(0).output(0).bytes()).isNotEqualTo(batch.get(1).output(0).bytes());
    }
}
