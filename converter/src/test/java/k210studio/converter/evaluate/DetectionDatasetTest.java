package k210studio.converter.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import k210studio.kpu.post.Detection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Box datasets (VOC XML, YOLO txt beside a generated image) and the mAP@0.5 / box agreement counted by hand. */
class DetectionDatasetTest {

    private static void png(Path p, int w, int h) throws Exception {
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", p.toFile());
    }

    @Test
    @DisplayName("a generated set: VOC xml (1-based inclusive corners) and YOLO txt (fractions) read to the same pixel box")
    void vocAndYoloBoxes(@TempDir Path dir) throws Exception {
        png(dir.resolve("a.png"), 200, 100);
        png(dir.resolve("b.png"), 200, 100);
        png(dir.resolve("c.png"), 200, 100);
        Files.writeString(dir.resolve("a.xml"), "<annotation><object><name>face</name><difficult>0</difficult><bndbox>"
                + "<xmin>11</xmin><ymin>21</ymin><xmax>60</xmax><ymax>70</ymax></bndbox></object></annotation>");
        Files.writeString(dir.resolve("b.txt"), "0 0.175 0.45 0.25 0.5\n");
        EvalDataset ds = DatasetReader.read(dir, List.of("face"), 1);
        assertThat(ds.layout()).isEqualTo(EvalDataset.Layout.BOXES);
        assertThat(ds.images()).hasSize(3);
        TruthBox voc = ds.images().get(0).boxes().get(0);
        TruthBox yolo = ds.images().get(1).boxes().get(0);
        assertThat(new float[] {voc.x(), voc.y(), voc.w(), voc.h()}).containsExactly(new float[] {10, 20, 50, 50}, within(1e-3f));
        assertThat(new float[] {yolo.x(), yolo.y(), yolo.w(), yolo.h()}).containsExactly(new float[] {10, 20, 50, 50}, within(1e-3f));
        assertThat(ds.images().get(2).boxes()).isEmpty();
        assertThat(ds.warnings()).anyMatch(w -> w.contains("1 image(s) have no box file"));
        Files.writeString(dir.resolve("b.txt"), "0 35 45 50 50\n");
        assertThatThrownBy(() -> DatasetReader.read(dir, List.of("face"), 1)).hasMessageContaining("fractions of the image");
    }

    private static ImageResult result(List<TruthBox> truth, List<Detection> f, List<Detection> k) {
        EvalImage img = new EvalImage(Path.of("x.png"), "x.png", -1, truth);
        return ImageResult.of(img, new OutputDecoding.Answer(null, f), new OutputDecoding.Answer(null, k),
                new OutputDecoding(OutputDecoding.Kind.ULTRA_FACE, null, 0.5f, 0.3f));
    }

    /**
     * Two images, three faces. Float finds all three (scores .9 .8 .7) and adds a false box (.6, ranked last): precision
     * stays 1 up to recall 1, AP = 1. K210 finds face 1 (.9), a false box (.85), face 3 (.6), misses face 2: ranks
     * TP FP TP → recall 1/3 at precision 1, 2/3 at precision 2/3, AP = 1/3·1 + 1/3·2/3 = 5/9. Box agreement over the
     * boxes above 0.5: float 4, K210 3, matched 2 (faces 1 and 3) → 4/7.
     */
    @Test
    @DisplayName("VOC all-points AP and box agreement match a hand count on two images")
    void mapByHand() {
        TruthBox t1 = new TruthBox(0, 0, 0, 10, 10, false);
        TruthBox t2 = new TruthBox(0, 50, 50, 10, 10, false);
        TruthBox t3 = new TruthBox(0, 0, 0, 20, 20, false);
        Detection f1 = new Detection(0, null, .9f, 0, 0, 10, 10);
        Detection f2 = new Detection(0, null, .8f, 50, 50, 10, 10);
        Detection fFalse = new Detection(0, null, .6f, 100, 100, 10, 10);
        Detection f3 = new Detection(0, null, .7f, 1, 1, 19, 19);
        Detection k1 = new Detection(0, null, .9f, 0, 0, 11, 11);
        Detection kFalse = new Detection(0, null, .85f, 30, 30, 10, 10);
        Detection k3 = new Detection(0, null, .6f, 0, 0, 20, 20);
        List<ImageResult> rs = List.of(result(List.of(t1, t2), List.of(f1, f2, fFalse), List.of(k1, kFalse)),
                result(List.of(t3), List.of(f3), List.of(k3)));
        DetectorFigures d = DetectorFigures.of(rs, 1, new OutputDecoding(OutputDecoding.Kind.ULTRA_FACE, null, 0.5f, 0.3f));
        assertThat(d.truths()).isEqualTo(3);
        assertThat(d.floatMap()).isCloseTo(1.0, within(1e-9));
        assertThat(d.k210Map()).isCloseTo(5.0 / 9, within(1e-9));
        assertThat(d.floatBoxes()).isEqualTo(4);
        assertThat(d.k210Boxes()).isEqualTo(3);
        assertThat(d.matched()).isEqualTo(2);
        assertThat(d.boxAgreement()).isCloseTo(4.0 / 7, within(1e-9));
    }
}
