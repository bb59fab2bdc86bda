package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** KPU RAM row layout (kpu-arith.md §1.2–§1.3, kmodel-v3.md §6.1) and upload/download. */
class KpuRamTest {

    @Test
    void layoutTableOfTheDocs() {
        assertThat(KpuRowLayout.forWidth(16)).isEqualTo(new KpuRowLayout(16, 4, 1, 16));
        assertThat(KpuRowLayout.forWidth(17)).isEqualTo(new KpuRowLayout(17, 2, 1, 32));
        assertThat(KpuRowLayout.forWidth(32)).isEqualTo(new KpuRowLayout(32, 2, 1, 32));
        assertThat(KpuRowLayout.forWidth(33)).isEqualTo(new KpuRowLayout(33, 1, 1, 64));
        assertThat(KpuRowLayout.forWidth(65)).isEqualTo(new KpuRowLayout(65, 1, 2, 64));
        assertThat(KpuRowLayout.forWidth(320)).isEqualTo(new KpuRowLayout(320, 1, 5, 64));
    }

    @Test
    void sizeFormulaExamplesOfTheDocs() {
        // kpu-arith.md §1.3: 320x240x3 -> 3600 lines (230 400 B); 20x15x125 -> 945 lines (60 480 B); 4x4x1024 -> 1024
        assertThat(KpuRowLayout.forWidth(320).lines(240, 3)).isEqualTo(3600);
        assertThat(KpuRowLayout.forWidth(320).bytes(240, 3)).isEqualTo(230_400);
        assertThat(KpuRowLayout.forWidth(20).lines(15, 125)).isEqualTo(945);
        assertThat(KpuRowLayout.forWidth(20).bytes(15, 125)).isEqualTo(60_480);
        assertThat(KpuRowLayout.forWidth(4).lines(4, 1024)).isEqualTo(1024);
        // fewer channels than groups: one block (min(C, g))
        assertThat(KpuRowLayout.forWidth(4).lines(4, 1)).isEqualTo(4);
        // kmodel-v4.md §7.3: 1x1x28x80 takes 3584 bytes
        assertThat(KpuRowLayout.forWidth(80).bytes(28, 1)).isEqualTo(3584);
    }

    @Test
    void fourChannelsPerLineForWidthUpTo16() throws Exception {
        // line k of block b holds row y of channels 4b..4b+3 at byte offsets 0/16/32/48
        KpuRam ram = new KpuRam();
        int c = 6, h = 5, w = 10, line = 10;
        ram.upload(line, dense(c, h, w), 0, c, h, w);
        byte[] m = ram.bytes();
        int base = line * 64;
        assertThat(m[base + 467] & 0xFF).isEqualTo(value(5, 2, 3)); // block 1: 5*64, (5%4)*16, 2*64, 3
        assertThat(m[base + 16 + 64 + 9] & 0xFF).isEqualTo(value(1, 1, 9));
        assertThat(m[base + 48 + 4 * 64] & 0xFF).isEqualTo(value(3, 4, 0));
        assertThat(ram.download(line, c, h, w)).isEqualTo(dense(c, h, w));
        // bytes x >= W inside a slot are not written
        assertThat(m[base + 10]).isZero();
    }

    @Test
    void twoChannelsPerLineForWidthUpTo32() throws Exception {
        KpuRam ram = new KpuRam();
        int c = 5, h = 5, w = 20, line = 3;
        ram.upload(line, dense(c, h, w), 0, c, h, w);
        byte[] m = ram.bytes();
        int base = line * 64;
        assertThat(m[base + 423] & 0xFF).isEqualTo(value(3, 1, 7)); // 1*5*64 + 1*32 + 64 + 7
        assertThat(m[base + 2 * 5 * 64 + 4 * 64 + 19] & 0xFF).isEqualTo(value(4, 4, 19));
        assertThat(ram.download(line, c, h, w)).isEqualTo(dense(c, h, w));
    }

    @Test
    void oneChannelPerLineAndSeveralLinesPerRowAbove32() throws Exception {
        KpuRam ram = new KpuRam();
        int c = 3, h = 5, w = 100, line = 0;
        ram.upload(line, dense(c, h, w), 0, c, h, w);
        byte[] m = ram.bytes();
        assertThat(m[1734] & 0xFF).isEqualTo(value(2, 3, 70)); // 2*(2*5*64) + 3*128 + 70
        assertThat(ram.download(line, c, h, w)).isEqualTo(dense(c, h, w));
        // W = 64k: the layout is plain dense CHW
        KpuRam r2 = new KpuRam();
        byte[] d = dense(2, 3, 128);
        r2.upload(7, d, 0, 2, 3, 128);
        byte[] raw = new byte[d.length];
        r2.readBytes(7 * 64, raw, 0, raw.length);
        assertThat(raw).isEqualTo(d);
    }

    @Test
    void batchesAreStackedOneFeatureMapApart() throws Exception {
        KpuRam ram = new KpuRam();
        int c = 3, h = 4, w = 12;
        byte[] d = new byte[2 * c * h * w];
        new Random(1).nextBytes(d);
        ram.upload(5, d, 0, c, h, w, 2);
        long fmap = KpuRowLayout.forWidth(w).bytes(h, c);
        byte[] second = ram.download(5 + (int) (fmap / 64), c, h, w);
        assertThat(second).isEqualTo(java.util.Arrays.copyOfRange(d, c * h * w, 2 * c * h * w));
        byte[] back = new byte[d.length];
        ram.download(5, c, h, w, 2, back, 0);
        assertThat(back).isEqualTo(d);
    }

    @Test
    void outOfRangeMapsGiveClearErrors() {
        KpuRam ram = new KpuRam();
        assertThatThrownBy(() -> ram.upload(32767, new byte[3 * 240 * 320], 0, 3, 240, 320))
                .isInstanceOf(KpuException.class).hasMessageContaining("past the 2 MiB KPU RAM");
        assertThatThrownBy(() -> ram.download(0, 2, 2, 2, new byte[3], 0)).isInstanceOf(KpuException.class)
                .hasMessageContaining("destination needs 8 bytes");
        assertThatThrownBy(() -> ram.upload(0, new byte[3], 0, 2, 2, 2)).isInstanceOf(KpuException.class)
                .hasMessageContaining("source needs 8 bytes");
        assertThatThrownBy(() -> ram.download(0, 0, 2, 2)).isInstanceOf(KpuException.class)
                .hasMessageContaining("shape 0x2x2");
        assertThatThrownBy(() -> KpuRam.lineOf(100, "input")).isInstanceOf(KpuException.class)
                .hasMessageContaining("not a multiple of 64");
        assertThatThrownBy(() -> KpuRam.lineOf(KpuRam.SIZE, "input")).isInstanceOf(KpuException.class)
                .hasMessageContaining("outside the 2 MiB");
    }

    @Test
    void layoutOffsetAgreesWithTheDocFormulaEverywhere() throws Exception {
        Random r = new Random(5);
        for (int n = 0; n < 50; n++) {
            int w = 1 + r.nextInt(200);
            int h = 1 + r.nextInt(20);
            int c = 1 + r.nextInt(9);
            KpuRam ram = new KpuRam();
            byte[] d = new byte[c * h * w];
            r.nextBytes(d);
            ram.upload(1, d, 0, c, h, w);
            for (int i = 0; i < 30; i++) {
                int cc = r.nextInt(c), y = r.nextInt(h), x = r.nextInt(w);
                assertThat(ram.bytes()[(int) (64 + ReferenceKpu.offset(cc, y, x, w, h))])
                        .isEqualTo(d[(cc * h + y) * w + x]);
                assertThat(KpuRowLayout.forWidth(w).offset(cc, y, x, h)).isEqualTo(ReferenceKpu.offset(cc, y, x, w, h));
            }
            assertThat(KpuRowLayout.forWidth(w).bytes(h, c)).isEqualTo(ReferenceKpu.fmapBytes(w, h, c));
        }
    }

    static int value(int c, int y, int x) {
        return (c * 50 + y * 10 + x) & 0xFF;
    }

    static byte[] dense(int c, int h, int w) {
        byte[] d = new byte[c * h * w];
        for (int cc = 0; cc < c; cc++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[(cc * h + y) * w + x] = (byte) value(cc, y, x);
                }
            }
        }
        return d;
    }
}
