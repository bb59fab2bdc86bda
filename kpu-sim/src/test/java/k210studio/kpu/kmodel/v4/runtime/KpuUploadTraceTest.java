package k210studio.kpu.kmodel.v4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * A kpu_upload node's trace snapshot is the map it uploaded, dense N×C×H×W with the node's shape (as a KPU conv's
 * snapshot is), not the KPU RAM row layout: on nncase's model_5 each upload shows exactly the bytes the pad before
 * it wrote, also where the width (160, 80, 40, 19) pads KPU rows to 64-byte lines.
 */
class KpuUploadTraceTest {

    @Test
    void uploadSnapshotsAreDenseAndEqualTheirInput() throws Exception {
        Kmodel m = KmodelFiles.read(SharedFixtures.fixture("pairs/nncase_model5.ncc-dev-69932ea.kmodel"));
        byte[] px = new byte[3 * 240 * 320];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 % 251);
        }
        RunResult r = m.run(KmodelTensor.ofUint8(new int[] {3, 240, 320}, px), RunOptions.defaults().withTraceOutputs(true));
        int uploads = 0;
        for (LayerTrace t : r.layers()) {
            if (!t.type().equals("kpu_upload")) {
                continue;
            }
            uploads++;
            KmodelTensor up = t.output();
            KmodelTensor before = r.layers().get(t.index() - 1).output();
            assertThat(up.shape()).as("node %d", t.index()).hasSize(4);
            assertThat(up.elementCount()).isEqualTo(before.elementCount());
            assertThat(up.bytes()).as("node %d holds the pad's output", t.index()).isEqualTo(before.bytes());
        }
        assertThat(uploads).isEqualTo(5);
    }
}
