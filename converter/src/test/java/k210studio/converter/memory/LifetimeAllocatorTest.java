package k210studio.converter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The KPU RAM / main-memory placement the compiler relies on (no overlap of live buffers, clear OOM messages). */
class LifetimeAllocatorTest {

    @Test
    void aChainPingPongsBetweenTheEndsOfKpuRam() throws Exception {
        // input 3600 lines (320×240×3), then three layer outputs, each read only by the next layer
        List<BufferRequest> chain = List.of(
                new BufferRequest("input", 3600, 0, 0),
                new BufferRequest("conv1", 1920, 0, 1),
                new BufferRequest("conv2", 960, 1, 2),
                new BufferRequest("conv3", 480, 2, 2));
        MemoryPlan plan = new LifetimeAllocator(MemoryPool.KPU_RAM, true).place(chain);
        assertThat(plan.placement("input").address()).isEqualTo(32768 - 3600);
        assertThat(plan.placement("conv1").address()).isZero();
        assertThat(plan.placement("conv2").end()).isEqualTo(32768);
        assertThat(plan.peak()).isEqualTo(3600 + 1920);
        assertNoLiveOverlap(plan);
    }

    @Test
    void overlappingLifetimesNeverShareAddresses() throws Exception {
        List<BufferRequest> reqs = new java.util.ArrayList<>();
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 200; i++) {
            int first = rnd.nextInt(50);
            reqs.add(new BufferRequest("b" + i, 1 + rnd.nextInt(300), first, first + rnd.nextInt(5)));
        }
        MemoryPlan plan = new LifetimeAllocator(MemoryPool.mainMemory(Long.MAX_VALUE / 4), false).place(reqs);
        assertNoLiveOverlap(plan);
        for (Placement p : plan.placements()) {
            assertThat(p.address() % 8).isZero();
        }
    }

    @Test
    void aFeatureMapLargerThanTwoMebibytesNamesTheLayer() {
        List<BufferRequest> reqs = List.of(
                new BufferRequest("input", 20000, 0, 0),
                new BufferRequest("conv_big", 20000, 0, 1));
        assertThatThrownBy(() -> new LifetimeAllocator(MemoryPool.KPU_RAM, true).place(reqs))
                .isInstanceOf(OutOfMemoryException.class)
                .hasMessageContaining("conv_big")
                .hasMessageContaining("KPU RAM is full")
                .hasMessageContaining("Fix:");
    }

    static void assertNoLiveOverlap(MemoryPlan plan) {
        List<Placement> ps = plan.placements();
        for (int i = 0; i < ps.size(); i++) {
            for (int j = i + 1; j < ps.size(); j++) {
                Placement a = ps.get(i);
                Placement b = ps.get(j);
                boolean timeOverlap = a.request().firstUse() <= b.request().lastUse() && b.request().firstUse() <= a.request().lastUse();
                boolean spaceOverlap = a.address() < b.end() && b.address() < a.end();
                assertThat(timeOverlap && spaceOverlap).as("%s and %s overlap", a, b).isFalse();
            }
        }
    }
}
