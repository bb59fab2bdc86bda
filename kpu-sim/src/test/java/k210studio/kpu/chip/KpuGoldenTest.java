package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bit-exactness across kernel rewrites: every conv layer of every V3/V4 kmodel fixture (1x1, 3x3,
 * depthwise, select/max/mean pools, widths 4..320 including odd ones, channel counts such as 3, 24,
 * 125, 1000 that are no multiple of a vector width), as stored with 8-bit weights and as a 16-bit
 * variant, under RC5 and BETA4, must give exactly the output bytes and KPU RAM write-back of the
 * kernel that wrote {@code golden/kpu-fixture-layers.txt} (commit 489204d, itself pinned to the naive
 * {@link ReferenceKpu} by {@link KpuDifferentialTest}).
 */
class KpuGoldenTest {

    @Test
    void everyFixtureLayerGivesTheRecordedBytes() throws Exception {
        List<String> expected = KpuGoldenDigests.expectedLines();
        List<String> actual = new ArrayList<>();
        Kpu kpu = new Kpu();
        String last = null;
        byte[] file = null;
        for (KpuGoldenDigests.Case c : KpuGoldenDigests.cases()) {
            if (!c.conv().file().equals(last)) {
                last = c.conv().file();
                file = ChipFixtures.bytes(last);
            }
            actual.add(c.key() + " " + KpuGoldenDigests.digest(KpuGoldenDigests.run(kpu, c, file)));
        }
        assertThat(expected).as("recorded cases").hasSizeGreaterThan(400);
        assertThat(actual).containsExactlyElementsOf(expected);
    }
}
