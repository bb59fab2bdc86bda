package k210studio.kpu.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Top-N, label files and the YOLOv2 region layer on synthetic outputs with known answers. */
class PostProcessingTest {

    @Test
    void topNIsSortedWithLabels() {
        List<Scored> t = TopN.of(new float[] {0.1f, 0.5f, 0.2f, 0.5f, 0.05f}, 3, List.of("a", "b", "c", "d", "e"));
        assertThat(t).extracting(Scored::index).containsExactly(1, 3, 2);
        assertThat(t.get(0).label()).isEqualTo("b");
        assertThat(TopN.of(new float[] {1, 2}, 5, null)).hasSize(2);
    }

    @Test
    void labelFilesWithAndWithoutIndexPrefixes(@TempDir Path tmp) throws Exception {
        Path a = Files.write(tmp.resolve("a.txt"), List.of("cat", "dog", ""));
        assertThat(Labels.read(a)).containsExactly("cat", "dog");
        Path b = Files.write(tmp.resolve("b.txt"), List.of("0: background", "1: tench"));
        assertThat(Labels.read(b)).containsExactly("background", "tench");
        Path c = Files.write(tmp.resolve("c.txt"), List.of("x, y ,z"));
        assertThat(Labels.read(c)).containsExactly("x", "y", "z");
    }

    /** One anchor, two classes, 2x2 grid: channels = 1 x (5 + 2) = 7, CHW. */
    static float[] grid() {
        return new float[7 * 4];
    }

    static void set(float[] out, int field, int y, int x, float v) {
        out[(field * 2 + y) * 2 + x] = v;
    }

    @Test
    void regionLayerDecodesBoxGeometryAndClass() {
        float[] out = grid();
        for (int c = 0; c < 4; c++) {
            out[4 * 4 + c] = -10; // objectness ~0 everywhere
        }
        set(out, 4, 0, 1, 10); // cell (x=1, y=0) is an object
        set(out, 6, 0, 1, 5); // class 1 wins
        RegionLayer rl = new RegionLayer(new float[] {1, 2}, 0.5f, 0.3f);
        List<Detection> d = rl.decode(out, 2, 2, 7, 200, 100, List.of("a", "b"));
        assertThat(d).hasSize(1);
        Detection b = d.get(0);
        assertThat(b.label()).isEqualTo("b");
        // bx = (1 + sigmoid(0)) / 2 = 0.75, by = 0.25; bw = e^0 * 1 / 2 = 0.5, bh = e^0 * 2 / 2 = 1
        assertThat(b.centerX()).isCloseTo(150f, within(1e-3f));
        assertThat(b.centerY()).isCloseTo(25f, within(1e-3f));
        assertThat(b.w()).isCloseTo(100f, within(1e-3f));
        assertThat(b.h()).isCloseTo(100f, within(1e-3f));
        float pClass = (float) (Math.exp(5) / (Math.exp(5) + 1));
        assertThat(b.score()).isCloseTo(RegionLayer.sigmoid(10) * pClass, within(1e-5f));
    }

    @Test
    void nmsKeepsTheStrongerOfTwoOverlappingBoxes() {
        float[] out = grid();
        for (int c = 0; c < 4; c++) {
            out[4 * 4 + c] = -10;
        }
        set(out, 4, 0, 0, 3); // two neighbouring cells, big anchors -> heavy overlap
        set(out, 4, 0, 1, 2);
        set(out, 0, 0, 0, 3); // shift box 0 right
        set(out, 0, 0, 1, -3); // shift box 1 left
        RegionLayer rl = new RegionLayer(new float[] {2, 2}, 0.3f, 0.3f);
        List<Detection> d = rl.decode(out, 2, 2, 7, 100, 100, null);
        assertThat(d).hasSize(1);
        assertThat(d.get(0).score()).isCloseTo(RegionLayer.sigmoid(3) * 0.5f, within(1e-5f));
        RegionLayer loose = new RegionLayer(new float[] {2, 2}, 0.3f, 0.99f);
        assertThat(loose.decode(out, 2, 2, 7, 100, 100, null)).hasSize(2);
    }
}
