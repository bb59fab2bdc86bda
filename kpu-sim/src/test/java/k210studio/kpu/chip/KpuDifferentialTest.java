package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import k210studio.kpu.kmodel.KpuRules;
import org.junit.jupiter.api.Test;

/**
 * The optimised {@link Kpu} against {@link ReferenceKpu} (a literal transcription of the
 * equations) on random layers covering 1x1/3x3, full/depthwise, every pool type, the three row
 * layouts (W ≤ 16, ≤ 32, > 32, multiples of 64), 8- and 16-bit weights, rc5-style shifted offsets,
 * batches, random activation tables with negative multipliers and both rule sets. Also the real
 * fixture layers with random input.
 */
class KpuDifferentialTest {

    /** Segments spread over [-2B, 2B] with slopes that move the output by ~16 per segment. */
    static KpuActivationTable randomTable(Random r, long b) {
        List<KpuActivationSegment> s = new ArrayList<>();
        s.add(new KpuActivationSegment(KpuActivationSegment.MIN_X_START, r.nextInt(5) - 2, r.nextInt(4), r.nextInt(256)));
        long step = 4 * b / 15;
        for (int i = 1; i < 16; i++) {
            long start = -2 * b + (i - 1) * step + r.nextInt((int) (step / 4) + 1);
            int shift = r.nextInt(21);
            double slope = 16.0 / step * (0.5 + r.nextDouble()) * (r.nextInt(5) == 0 ? -1 : 1);
            long mul = Math.round(slope * Math.pow(2, shift));
            if (mul == 0) {
                mul = r.nextBoolean() ? 1 : -1;
            }
            mul = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, mul));
            s.add(new KpuActivationSegment(start, (int) mul, shift, r.nextInt(256)));
        }
        if (r.nextInt(4) == 0) { // not written by nncase, but the hardware takes any order: scan, not search
            java.util.Collections.swap(s, 1 + r.nextInt(15), 1 + r.nextInt(15));
        }
        if (r.nextInt(6) == 0) { // a start equal to its neighbour
            int i = 2 + r.nextInt(14);
            KpuActivationSegment p = s.get(i - 1);
            KpuActivationSegment q = s.get(i);
            s.set(i, new KpuActivationSegment(p.xStart(), q.yMul(), q.shift(), q.bias()));
        }
        return KpuActivationTable.of(s);
    }

    @Test
    void randomLayersMatchTheReference() throws Exception {
        Random r = new Random(20261129);
        int[] widths = {4, 7, 16, 17, 30, 32, 33, 64, 70, 128};
        Kpu kpu = new Kpu();
        boolean[] seen = new boolean[256];
        for (int iter = 0; iter < 160; iter++) {
            int w = widths[r.nextInt(widths.length)];
            int h = 4 + r.nextInt(9);
            boolean dw = r.nextInt(3) == 0;
            int c = 1 + r.nextInt(dw ? 9 : 7);
            int oc = dw ? c : 1 + r.nextInt(6);
            int k = r.nextBoolean() ? 3 : 1;
            KpuPoolType pool = KpuPoolType.values()[r.nextInt(10)];
            if (pool.outputSize(w) < 1 || pool.outputSize(h) < 1) {
                pool = KpuPoolType.BYPASS;
            }
            boolean eightBit = r.nextInt(4) != 0;
            int batches = r.nextInt(5) == 0 ? 2 : 1;
            KpuRules rules = r.nextBoolean() ? KpuRules.RC5 : KpuRules.BETA4;
            KpuLayerArgument l = KpuLayerArgument.forShapes(w, h, c, oc, k, dw, pool, eightBit)
                    .with(KpuField.IMAGE_SRC_ADDR, r.nextInt(100))
                    .with(KpuField.IMAGE_DST_ADDR, 200 + r.nextInt(100))
                    .with(KpuField.PAD_VALUE, r.nextInt(256));
            int zx = 100 + r.nextInt(56);
            int zw = (eightBit ? 100 + r.nextInt(56) : 30000 + r.nextInt(5000));
            int kk0 = k * k;
            if (r.nextBoolean()) { // beta4 style: acc = sum (x - zx)(w - zw)
                l = l.with(KpuField.ARG_X, -zw).with(KpuField.ARG_W, -zx)
                        .with(KpuField.ARG_ADD, (long) kk0 * zw * zx);
            } else { // rc5 style: offsets as 2^15-scaled fixed point, with fraction bits
                int sx = eightBit ? 15 : 7;
                l = l.with(KpuField.ARG_X, -zw << sx | r.nextInt(1 << sx))
                        .with(KpuField.SHR_X, sx)
                        .with(KpuField.ARG_W, -zx << 15 | r.nextInt(1 << 15)).with(KpuField.SHR_W, 15)
                        .with(KpuField.ARG_ADD, (long) kk0 * zw * zx + r.nextInt(1000));
            }
            int kk = k * k;
            int count = dw ? c * kk : c * oc * kk;
            // scale BN so that bn has a spread of about B = 2^16 around 0 (realistic requantisation)
            long b = 1 << 16;
            double accStd = 74.0 * 74 * Math.sqrt(dw ? kk : kk * c) * (eightBit ? 1 : 256);
            long[] bn = new long[oc];
            for (int o = 0; o < oc; o++) {
                int shift = 15;
                long mul = Math.round(b * Math.pow(2, shift) / accStd * (0.5 + r.nextDouble()));
                mul = Math.max(1, Math.min((1 << 23) - 1, mul)) * (r.nextInt(8) == 0 ? -1 : 1);
                bn[o] = new KpuBatchNorm((int) mul, shift, (int) (r.nextInt((int) b) - b / 2)).toWord();
                if (iter % 8 == 7) { // extreme: bn far beyond 36 bits, products that wrap 64 bits
                    bn[o] = new KpuBatchNorm(r.nextInt(1 << 24) - (1 << 23), r.nextInt(2), r.nextInt()).toWord();
                }
            }
            KpuActivationTable table = randomTable(r, b);
            KpuConvData d;
            if (eightBit) {
                byte[] wt = new byte[count];
                r.nextBytes(wt);
                d = KpuConvData.eightBit(wt, bn, table);
            } else {
                short[] wt = new short[count];
                for (int i = 0; i < count; i++) {
                    wt[i] = (short) Math.max(0, Math.min(65535, zw + (int) (r.nextGaussian() * 12000)));
                }
                d = KpuConvData.sixteenBit(wt, bn, table);
            }
            KpuRam ram = new KpuRam();
            r.nextBytes(ram.bytes());
            byte[] before = ram.bytes().clone();
            byte[] expected = ReferenceKpu.run(before, l, d, rules, batches);
            KpuLayerResult res = kpu.runLayer(ram, l, d, rules, batches);
            assertThat(res.output()).as("iter %d: %s %s %s batches %d", iter, l, rules, eightBit ? "u8" : "u16", batches)
                    .isEqualTo(expected);
            for (byte v : expected) {
                seen[v & 0xFF] = true;
            }
            byte[] back = new byte[expected.length];
            ram.download(l.imageDstAddr(), oc, l.outputHeight(), l.outputWidth(), batches, back, 0);
            assertThat(back).isEqualTo(expected);
        }
        int distinct = 0;
        for (boolean b : seen) {
            distinct += b ? 1 : 0;
        }
        assertThat(distinct).as("the random layers exercise the whole uint8 range, not just the clamps")
                .isGreaterThan(200);
    }

    @Test
    void realFixtureLayersMatchTheReference() throws Exception {
        Random r = new Random(3);
        Kpu kpu = new Kpu();
        int checked = 0;
        List<ChipFixtures.ConvLayer> all = new ArrayList<>();
        for (String f : ChipFixtures.V3) {
            all.addAll(ChipFixtures.v3Convs(f, ChipFixtures.bytes(f)));
        }
        for (String f : ChipFixtures.V4) {
            all.addAll(ChipFixtures.v4Convs(f, ChipFixtures.bytes(f)));
        }
        String lastFile = null;
        byte[] file = null;
        for (ChipFixtures.ConvLayer c : all) {
            if (!c.file().equals(lastFile)) {
                file = ChipFixtures.bytes(c.file());
                lastFile = c.file();
            }
            KpuLayerArgument l = c.layer(file);
            long macs = (long) l.inputWidth() * l.inputHeight() * l.kernelSize() * l.kernelSize()
                    * (l.depthwise() ? l.outputChannels() : (long) l.inputChannels() * l.outputChannels());
            if (macs > 1_000_000) {
                continue; // the naive reference is slow; big layers are covered by the random test shapes
            }
            KpuConvData d = c.data(file);
            KpuRam ram = new KpuRam();
            r.nextBytes(ram.bytes());
            for (KpuRules rules : new KpuRules[] {KpuRules.RC5, KpuRules.BETA4}) {
                byte[] expected = ReferenceKpu.run(ram.bytes().clone(), l, d, rules, c.batches());
                KpuRam copy = new KpuRam();
                System.arraycopy(ram.bytes(), 0, copy.bytes(), 0, KpuRam.SIZE);
                assertThat(kpu.runLayer(copy, l, d, rules, c.batches()).output())
                        .as("%s layer %d %s", c.file(), c.index(), rules).isEqualTo(expected);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(15);
    }

    @Test
    void parallelAndSerialKpusAgreeOnEveryMobilenetLayer() throws Exception {
        // the fork-join split (output channels, or pixels for small grids) must not change a single byte
        String f = "kmodel/v3/mobilenet_v1_0.75_1000cls.kmodel";
        byte[] file = ChipFixtures.bytes(f);
        Kpu parallel = new Kpu(true);
        Kpu serial = new Kpu(false);
        Random r = new Random(11);
        for (ChipFixtures.ConvLayer c : ChipFixtures.v3Convs(f, file)) {
            KpuLayerArgument l = c.layer(file);
            KpuConvData d = c.data(file);
            KpuRam a = new KpuRam();
            r.nextBytes(a.bytes());
            KpuRam b = new KpuRam();
            System.arraycopy(a.bytes(), 0, b.bytes(), 0, KpuRam.SIZE);
            byte[] x = parallel.runLayer(a, l, d, KpuRules.RC5).output();
            byte[] y = serial.runLayer(b, l, d, KpuRules.RC5).output();
            assertThat(x).as("layer %d", c.index()).isEqualTo(y);
            assertThat(a.bytes()).isEqualTo(b.bytes());
        }
    }
}
