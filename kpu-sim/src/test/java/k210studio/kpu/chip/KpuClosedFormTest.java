package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import k210studio.kpu.kmodel.KpuRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link KpuClosedFormActivation}, the one-FMA double form of BN + activation for rc5 ReLU-style
 * tables: equal to the segment table at every output step of every channel of the real V3 fixtures,
 * and the vector kernel using it (pixel rows, channel-lane tiles of small grids, depthwise with and
 * without the x-term folded into the weights) equal to
 * {@link ReferenceKpu} on random layers with such tables, including tables it must refuse.
 */
class KpuClosedFormTest {

    @Test
    @DisplayName("on every channel of the V3 fixtures the closed form gives the table's byte on both sides of each output step")
    void closedFormEqualsTheTableAtEveryStep() throws Exception {
        int channels = 0;
        long points = 0;
        for (String f : ChipFixtures.V3) {
            byte[] file = ChipFixtures.bytes(f);
            for (ChipFixtures.ConvLayer c : ChipFixtures.v3Convs(f, file)) {
                KpuLayerArgument l = c.layer(file);
                KpuConvData d = c.data(file);
                KpuPreparedWeights prep = KpuPreparedWeights.of(l, d);
                KpuBnActivation p = new KpuBnActivation(l, d, prep, KpuRules.RC5, new byte[1], 1);
                KpuClosedFormActivation cf = new KpuClosedFormActivation(p, d.isEightBit(), l.outputChannels(), 0);
                for (int o = 0; o < l.outputChannels(); o++) {
                    if (!cf.has(o)) {
                        continue;
                    }
                    channels++;
                    long lo = p.aMin[o];
                    long hi = p.aMax[o];
                    // the a where the output steps: scan the range in 4096 strides, then bisect each change
                    List<Long> probes = new ArrayList<>();
                    long stride = Math.max(1, (hi - lo) / 4096);
                    int prev = table(p, o, lo);
                    for (long a = lo; a <= hi; a += stride) {
                        int v = table(p, o, a);
                        if (v != prev) {
                            long x = a - stride;
                            long y = a;
                            while (y - x > 1) {
                                long m = (x + y) >> 1;
                                if (table(p, o, m) == prev) {
                                    x = m;
                                } else {
                                    y = m;
                                }
                            }
                            probes.add(x);
                            probes.add(y);
                            prev = v;
                        }
                        probes.add(a);
                    }
                    probes.add(hi);
                    for (long a : probes) {
                        long accPlusXt = a - p.constant[o];
                        int acc = (int) (accPlusXt / 2);
                        double xt = accPlusXt - acc; // split between the two inputs as the kernel does
                        assertThat(cf.apply(o, acc, xt)).as("%s layer %d channel %d a=%d", f, c.index(), o, a)
                                .isEqualTo(table(p, o, a));
                        points++;
                    }
                }
            }
        }
        assertThat(channels).as("the V3 fixtures' rc5 ReLU tables all have the closed form").isGreaterThan(5000);
        assertThat(points).isGreaterThan(1_000_000);
    }

    /** The table's byte for accumulator sum a (BN then activation, the scalar code). */
    private static int table(KpuBnActivation p, int o, long a) {
        return p.activate(((a * p.bnMul[o]) >> p.bnShift[o]) + p.bnAdd[o]);
    }

    /** An rc5 ReLU-style table: constant segments, then y_mul 2^e from xs, optionally a constant top. */
    private static KpuActivationTable reluTable(Random r, long xs, int e, int sh, int bias, int below, long top) {
        List<KpuActivationSegment> s = new ArrayList<>();
        s.add(new KpuActivationSegment(KpuActivationSegment.MIN_X_START, 0, 0, below));
        for (int i = 1; i < 10; i++) {
            s.add(new KpuActivationSegment(xs - (10 - i) * 1000L - r.nextInt(100), 0, 0, below));
        }
        s.add(new KpuActivationSegment(xs, 1 << e, sh, bias));
        for (int i = 11; i < 16; i++) {
            s.add(new KpuActivationSegment(top + i, 0, 0, 255));
        }
        return KpuActivationTable.of(s);
    }

    @Test
    @DisplayName("random layers with rc5 ReLU-style tables give the reference bytes through every closed-form path")
    void reluTableLayersMatchTheReference() throws Exception {
        Random r = new Random(13);
        Kpu kpu = new Kpu();
        int closedChannels = 0;
        int refused = 0;
        for (int iter = 0; iter < 60; iter++) {
            int shape = iter % 3;
            // 0: a large grid (pixels on the vector lanes), 1: a small grid with many channels
            // (channels on the lanes), 2: depthwise
            int w = shape == 1 ? 4 + r.nextInt(4) : 33 + r.nextInt(40);
            int h = shape == 1 ? 4 + r.nextInt(4) : 4 + r.nextInt(6);
            boolean dw = shape == 2;
            int c = dw ? 3 + r.nextInt(6) : 3 + r.nextInt(40);
            int oc = dw ? c : shape == 1 ? 40 + r.nextInt(60) : 1 + r.nextInt(12);
            int k = r.nextBoolean() ? 3 : 1;
            KpuPoolType pool = shape == 0 && r.nextBoolean() ? KpuPoolType.LEFT_TOP_2_S2 : KpuPoolType.BYPASS;
            KpuLayerArgument l = KpuLayerArgument.forShapes(w, h, c, oc, k, dw, pool, true)
                    .with(KpuField.IMAGE_SRC_ADDR, r.nextInt(100))
                    .with(KpuField.IMAGE_DST_ADDR, 2000 + r.nextInt(100))
                    .with(KpuField.PAD_VALUE, r.nextInt(256));
            int zw = 100 + r.nextInt(56);
            int zx = 100 + r.nextInt(56);
            int taps = dw ? k * k : k * k * c;
            // rc5 offsets: 2^15-scaled, with fraction bits or without (then depthwise folds the x-term into
            // the weights), and a constant so that a has both signs
            l = l.with(KpuField.ARG_X, -zw << 15 | (r.nextBoolean() ? 0 : r.nextInt(1 << 15))).with(KpuField.SHR_X, 15)
                    .with(KpuField.ARG_W, r.nextBoolean() ? 0 : -zx << 15 | r.nextInt(1 << 15))
                    .with(KpuField.SHR_W, 15).with(KpuField.ARG_ADD, (long) zw * zx * (r.nextBoolean() ? 1 : 0));
            double accStd = 74.0 * 74 * Math.sqrt(taps);
            long[] bn = new long[oc];
            for (int o = 0; o < oc; o++) {
                int shift = 10 + r.nextInt(6);
                long mul = Math.round((1 << 18) * Math.pow(2, shift) / accStd * (0.5 + r.nextDouble()));
                mul = Math.max(1, Math.min((1 << 23) - 1, mul)) * (r.nextInt(8) == 0 ? -1 : 1);
                if (r.nextInt(20) == 0) {
                    mul = 0; // a dead channel: one constant segment
                }
                bn[o] = new KpuBatchNorm((int) mul, shift, r.nextInt(1 << 18) - (1 << 17)).toWord();
            }
            int e = r.nextInt(12);
            int sh = e + 1 + r.nextInt(14);
            // bias 0 below and on the ramp: the closed form; otherwise the general path must take over
            boolean plain = r.nextInt(5) != 0;
            int bias = plain ? 0 : r.nextInt(40);
            int below = plain ? 0 : r.nextInt(3) == 0 ? 0 : r.nextInt(40);
            long xs = r.nextInt(1 << 16) - (1 << 15);
            long top = r.nextBoolean() ? (1L << 34) : xs + (255L << (sh - e)) + r.nextInt(1 << 16);
            KpuActivationTable table = reluTable(r, xs, e, sh, bias, below, top);
            byte[] wt = new byte[dw ? c * k * k : c * oc * k * k];
            r.nextBytes(wt);
            KpuConvData d = KpuConvData.eightBit(wt, bn, table);
            KpuBnActivation p = new KpuBnActivation(l, d, KpuPreparedWeights.of(l, d), KpuRules.RC5, new byte[1], 1);
            KpuClosedFormActivation cf = new KpuClosedFormActivation(p, true, oc, 0);
            for (int o = 0; o < oc; o++) {
                if (cf.has(o)) {
                    closedChannels++;
                } else {
                    refused++;
                }
            }
            KpuRam ram = new KpuRam();
            r.nextBytes(ram.bytes());
            byte[] expected = ReferenceKpu.run(ram.bytes().clone(), l, d, KpuRules.RC5, 1);
            assertThat(kpu.runLayer(ram, l, d, KpuRules.RC5).output()).as("iter %d: %s", iter, l).isEqualTo(expected);
        }
        assertThat(closedChannels).as("channels on the closed form").isGreaterThan(500);
        assertThat(refused).as("channels the closed form must refuse (bias, top segment)").isGreaterThan(50);
    }
}
