package k210studio.kpu.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The persistent helper team that runs a layer's pieces: every item exactly once, failures rethrown, one job at a time. */
class KpuTeamTest {
    @Test
    @DisplayName("each item of a job runs exactly once, over many consecutive jobs (helpers park and wake between them)")
    void everyItemOnce() {
        for (int round = 0; round < 500; round++) {
            int count = 1 + round % 97;
            AtomicIntegerArray hits = new AtomicIntegerArray(count);
            boolean ran = KpuTeam.SHARED.run(count, 8, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            if (KpuTeam.SHARED.threads() > 1) {
                assertThat(ran).isTrue();
            }
            if (ran) {
                for (int i = 0; i < count; i++) {
                    assertThat(hits.get(i)).as("item %d of %d", i, count).isEqualTo(1);
                }
            }
        }
    }

    @Test
    @DisplayName("an exception in any piece reaches the caller, and the team runs the next job normally")
    void failureRethrown() {
        if (KpuTeam.SHARED.threads() < 2) {
            return;
        }
        assertThatThrownBy(() -> KpuTeam.SHARED.run(64, 8, (from, to) -> {
            if (from <= 40 && 40 < to) {
                throw new IllegalStateException("piece with item 40");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("piece with item 40");
        AtomicIntegerArray hits = new AtomicIntegerArray(10);
        assertThat(KpuTeam.SHARED.run(10, 8, (from, to) -> {
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        })).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(hits.get(i)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a nested call while the team is busy is refused (the caller then splits the work another way)")
    void nestedRefused() {
        if (KpuTeam.SHARED.threads() < 2) {
            return;
        }
        boolean[] nested = new boolean[1];
        KpuTeam.SHARED.run(2, 2, (from, to) -> {
            if (from == 0) {
                nested[0] = KpuTeam.SHARED.run(4, 2, (a, b) -> { });
            }
        });
        assertThat(nested[0]).isFalse();
    }
}
