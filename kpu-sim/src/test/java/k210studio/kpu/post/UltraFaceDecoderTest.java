package k210studio.kpu.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** The Ultra-Light face detector's prior boxes and decoding (RFB-320, as in nncase's fast_facedetect example). */
class UltraFaceDecoderTest {

    @Test
    void rfb320At320x240Has4420PriorsInOutputOrder() {
        UltraFaceDecoder d = UltraFaceDecoder.rfb320(320, 240, 0.7f, 0.3f);
        // 40x30x3 + 20x15x2 + 10x8x2 + 5x4x3 = 3600 + 600 + 160 + 60: the ulffd kmodel's 17,680 box values / 4
        assertThat(d.priorCount()).isEqualTo(4420);
        float[][] p = d.priors();
        assertThat(p[0]).containsExactly(4f / 320, 4f / 240, 10f / 320, 10f / 240);
        assertThat(p[2]).containsExactly(4f / 320, 4f / 240, 24f / 320, 24f / 240);
        assertThat(p[3][0]).isEqualTo(12f / 320); // next cell along x, first min size
        // first prior of the stride-16 map
        assertThat(p[3600]).containsExactly(8f / 320, 8f / 240, 32f / 320, 32f / 240);
        // the last map's sizes 192, 256 px clamp to 1 in height (240 px)
        assertThat(p[4419][3]).isEqualTo(1f);
    }

    @Test
    void landmarkDetectorPriorsMatchItsOutputsAndFindTheFacesInNncasesKmodel() throws Exception {
        // nncase's facedetect_landmark example: 40x30x2 + 20x15x2 + 10x8x2 = 3160 priors, outputs boxes/landmarks/scores
        UltraFaceDecoder d = UltraFaceDecoder.forPriorCount(320, 240, 3160, 0.7f, 0.4f);
        assertThat(d).isEqualTo(UltraFaceDecoder.landmark320(320, 240, 0.7f, 0.4f));
        assertThat(UltraFaceDecoder.forPriorCount(320, 240, 4420, 0.7f, 0.4f)).isEqualTo(UltraFaceDecoder.rfb320(320, 240, 0.7f, 0.4f));
        assertThat(UltraFaceDecoder.forPriorCount(320, 240, 1234, 0.7f, 0.4f)).isNull();
        assertThat(d.priors()[1]).containsExactly(4f / 320, 4f / 240, 0.11875f, 0.11666667f);

        Kmodel m = KmodelFiles.read(SharedFixtures.fixture("kmodel/v4/nncase-v0.2.0-beta4_ulffd_landmark_3x240x320.kmodel"));
        RgbImage img = ImageFiles.read(SharedFixtures.fixture("images/face.jpg"));
        byte[] px = ModelImageInput.planar(img, 320, 240, 3, ImageResize.Method.BILINEAR, false);
        RunResult r = m.run(KmodelTensor.ofUint8(new int[] {3, 240, 320}, px), RunOptions.defaults());
        List<Detection> faces = d.decode(r.output(0).toFloatArray(), r.output(2).toFloatArray(), img.width(), img.height(), null);
        // face.jpg: the two men in front and two faces at the edges
        assertThat(faces).hasSizeGreaterThanOrEqualTo(2);
        assertThat(faces.get(0).score()).isGreaterThan(0.95f);
        assertThat(faces.stream().filter(f -> f.centerX() > 100 && f.centerX() < 420 && f.centerY() < 250).count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void zeroOffsetsGiveThePriorAndNmsKeepsTheStrongerOfTwoOverlappingBoxes() {
        UltraFaceDecoder d = UltraFaceDecoder.rfb320(320, 240, 0.5f, 0.3f);
        int n = d.priorCount();
        float[] boxes = new float[n * 4];
        float[] scores = new float[n * 2];
        for (int i = 0; i < n; i++) {
            scores[2 * i] = 1;
        }
        // priors 3600 (32 px at (8,8)) and 3601 (48 px at the same centre): overlap IoU = 1024/2304 > 0.3
        scores[2 * 3600] = 0.2f;
        scores[2 * 3600 + 1] = 0.8f;
        scores[2 * 3601] = 0.1f;
        scores[2 * 3601 + 1] = 0.9f;
        boxes[4 * 3601] = 1f; // dx = 1 → centre moves by 0.1 · prior width
        List<Detection> out = d.decode(boxes, scores, 320, 240, null);
        assertThat(out).hasSize(1);
        Detection f = out.get(0);
        assertThat(f.score()).isEqualTo(0.9f);
        assertThat(f.label()).isEqualTo("face");
        assertThat(f.w()).isCloseTo(48f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(f.centerX()).isCloseTo(8f + 0.1f * 48f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(f.centerY()).isCloseTo(8f, org.assertj.core.data.Offset.offset(1e-3f));
    }

    @Test
    void logitsGoThroughASoftmaxAndSizesThroughExp() {
        UltraFaceDecoder d = UltraFaceDecoder.rfb320(320, 240, 0.7f, 0.3f);
        int n = d.priorCount();
        float[] boxes = new float[n * 4];
        float[] scores = new float[n * 2];
        scores[2 * 10 + 1] = 3f; // logits (0, 3): p = 1/(1+e^-3) = 0.9526
        boxes[4 * 10 + 2] = 5f; // dw = 5 → w = pw · e^(5·0.2) = pw · e
        List<Detection> out = d.decode(boxes, scores, 640, 480, List.of("background", "face"));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).score()).isCloseTo(0.9526f, org.assertj.core.data.Offset.offset(1e-4f));
        float pw = d.priors()[10][2] * 640;
        assertThat(out.get(0).w()).isCloseTo((float) (pw * Math.E), org.assertj.core.data.Offset.offset(1e-3f));
    }

    @Test
    void wrongOutputSizesAreRefusedWithTheExpectedCounts() {
        UltraFaceDecoder d = UltraFaceDecoder.rfb320(320, 240, 0.7f, 0.3f);
        assertThatThrownBy(() -> d.decode(new float[10], new float[5], 320, 240, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4420 priors").hasMessageContaining("17680");
    }

    @Test
    void theRealUlffdKmodelFindsTheFaceInFaceJpg() throws Exception {
        Kmodel m = KmodelFiles.read(SharedFixtures.fixture("kmodel/v4/nncase-v0.2.0-beta2_ulffd_ultra_face_3x240x320.kmodel"));
        RgbImage img = ImageFiles.read(SharedFixtures.fixture("images/face.jpg"));
        byte[] planar = ModelImageInput.planar(img, 320, 240, 3, ImageResize.Method.BILINEAR, false);
        RunResult r = m.run(KmodelTensor.ofUint8(new int[] {1, 3, 240, 320}, planar), RunOptions.defaults());
        UltraFaceDecoder d = UltraFaceDecoder.rfb320(320, 240, 0.7f, 0.3f);
        List<Detection> faces = d.decode(r.output(0).toFloatArray(), r.output(1).toFloatArray(), img.width(), img.height(), null);
        assertThat(faces).isNotEmpty();
        Detection best = faces.get(0);
        // one face, roughly centred in the portrait, a sizeable part of the picture
        assertThat(best.w()).isBetween(img.width() * 0.1f, img.width() * 0.95f);
        assertThat(best.centerX()).isBetween(img.width() * 0.2f, img.width() * 0.8f);
    }
}
