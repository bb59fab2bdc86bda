package k210studio.ir.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import k210studio.ir.edit.EditCommand;
import k210studio.ir.edit.EditHistory;
import k210studio.ir.edit.EditHistoryPropertyTest;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import org.junit.jupiter.api.Test;

/**
 * The checker runs after every edit, so it must answer for any graph the editor can produce —
 * dangling layers, wrong input counts, shape errors, several inputs and outputs — without
 * throwing, with a verdict for every layer, and without changing the graph.
 */
class CheckerRobustnessTest {

    @Test
    void everyGraphReachableByRandomEditsGetsAVerdictPerLayer() {
        int checks = 0;
        for (long seed = 1; seed <= 30; seed++) {
            Random rnd = new Random(seed);
            Graph g = seed % 2 == 0 ? EditHistoryPropertyTest.sampleLike() : BriefNetworks.needsFixing();
            EditHistory h = new EditHistory(g);
            for (int i = 0; i < 30; i++) {
                try {
                    EditCommand c = EditHistoryPropertyTest.randomCommand(g, rnd, 0);
                    h.execute(c);
                } catch (GraphException e) {
                    continue;
                }
                Graph before = g.copy();
                CheckReport r = K210Checker.check(g);
                checks++;
                assertThat(g).isEqualTo(before);
                assertThat(r.layers()).hasSize(g.size());
                for (LayerCheck l : r.layers()) {
                    assertThat(l.v3().reason()).isNotBlank();
                    assertThat(l.v4().reason()).isNotBlank();
                }
                // applying any offered fix either works or is refused cleanly, and undoes exactly
                if (!r.fixes().isEmpty()) {
                    Fix f = r.fixes().get(rnd.nextInt(r.fixes().size()));
                    try {
                        h.execute(f.command());
                        K210Checker.check(g);
                        h.undo();
                        assertThat(g).isEqualTo(before);
                    } catch (GraphException e) {
                        assertThat(g).isEqualTo(before);
                    }
                }
            }
        }
        assertThat(checks).isGreaterThan(500);
    }
}
