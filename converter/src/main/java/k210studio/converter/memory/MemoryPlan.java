package k210studio.converter.memory;

import java.util.List;

/** The result of placing buffers in one pool: every placement, the peak and the fragmentation over time. */
public record MemoryPlan(MemoryPool pool, List<Placement> placements) {

    public MemoryPlan {
        placements = List.copyOf(placements);
    }

    public Placement placement(String bufferName) {
        for (Placement p : placements) {
            if (p.request().name().equals(bufferName)) {
                return p;
            }
        }
        return null;
    }

    public int steps() {
        int n = 0;
        for (Placement p : placements) {
            n = Math.max(n, p.request().lastUse() + 1);
        }
        return n;
    }

    /** Highest address in use at any time (units): the space the plan really needs. */
    public long extent() {
        long e = 0;
        for (Placement p : placements) {
            e = Math.max(e, p.end());
        }
        return e;
    }

    /** Lowest address used (units), or the capacity when nothing is placed. */
    public long lowestAddress() {
        long lo = pool.capacity();
        for (Placement p : placements) {
            lo = Math.min(lo, p.address());
        }
        return lo;
    }

    /** Sum of the sizes of the buffers live at a step (units). */
    public long liveAt(int step) {
        long s = 0;
        for (Placement p : placements) {
            if (p.liveAt(step)) {
                s += p.request().size();
            }
        }
        return s;
    }

    /** Largest amount live at once (units). */
    public long peak() {
        long peak = 0;
        for (int s = 0; s < steps(); s++) {
            peak = Math.max(peak, liveAt(s));
        }
        return peak;
    }

    /** Span from the lowest to the highest live address at a step, minus what is live: the holes (units). */
    public long fragmentationAt(int step) {
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (Placement p : placements) {
            if (p.liveAt(step)) {
                lo = Math.min(lo, p.address());
                hi = Math.max(hi, p.end());
            }
        }
        return lo == Long.MAX_VALUE ? 0 : (hi - lo) - liveAt(step);
    }
}
