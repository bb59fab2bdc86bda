package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.KpuRules;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.TensorDescription;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real images through a real model: every K210_CONV of the face detector (23 convs in a chain),
 * run by the V3 runtime on this chip, is re-computed by {@link ReferenceKpu} from the previous
 * layer's real output, under both rule sets. Pins the fast kernels to the equations on realistic
 * data (realistic BN ranges, rounding ties, ReLU/leaky tables), not only on random bytes.
 */
class KpuRealDataTest {

    @ParameterizedTest
    @EnumSource(value = KpuRules.class, names = {"RC5", "BETA4"})
    void faceDetectorLayerByLayer(KpuRules rules) throws Exception {
        String name = "kmodel/v3/face_detect_yolov2_320x240.kmodel";
        byte[] file = ChipFixtures.bytes(name);
        Kmodel m = KmodelFiles.read(file);
        TensorDescription in = m.inputs().get(0);
        int c = in.shape().get(0), h = in.shape().get(1), w = in.shape().get(2);
        RgbImage img = ImageFiles.read(SharedFixtures.fixture("images/face.jpg"));
        byte[] planar = ModelImageInput.planar(img, w, h, c, ImageResize.Method.BILINEAR, false);
        RunResult r = m.newRuntime(RunOptions.defaults().withRules(rules).withTraceOutputs(true))
                .run(KmodelTensor.ofUint8(new int[] {c, h, w}, planar));
        List<ChipFixtures.ConvLayer> convs = ChipFixtures.v3Convs(name, file);
        Map<Integer, byte[]> outputs = new HashMap<>();
        for (LayerTrace t : r.layers()) {
            if (t.output() != null && t.type().equals("K210_CONV")) {
                outputs.put(t.index(), t.output().bytes());
            }
        }
        int checked = 0;
        byte[] previous = planar;
        int distinctTotal = 0;
        for (ChipFixtures.ConvLayer conv : convs) {
            KpuLayerArgument l = conv.layer(file);
            KpuRam ram = new KpuRam();
            ram.upload(l.imageSrcAddr(), previous, 0, l.inputChannels(), l.inputHeight(), l.inputWidth());
            byte[] expected = ReferenceKpu.run(ram.bytes(), l, conv.data(file), rules, 1);
            byte[] actual = outputs.get(conv.index());
            assertThat(actual).as("layer %d %s", conv.index(), l).isEqualTo(expected);
            boolean[] seen = new boolean[256];
            for (byte b : actual) {
                seen[b & 0xFF] = true;
            }
            for (boolean s : seen) {
                distinctTotal += s ? 1 : 0;
            }
            previous = actual;
            checked++;
        }
        assertThat(checked).isEqualTo(23);
        assertThat(distinctTotal / checked).as("real feature maps use many levels").isGreaterThan(30);
    }
}
