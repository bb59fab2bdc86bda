package k210studio.converter.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places buffers with known lifetimes in one pool, in the order the program creates them, freeing each after its
 * last reader. Like nncase 0.1's KPU allocator it alternates between the bottom and the top of the free space for
 * successive buffers (a chain of layers then ping-pongs between the two ends and does not fragment); it can also
 * place everything first-fit from the bottom (main memory).
 */
public final class LifetimeAllocator {
    private final MemoryPool pool;
    private final boolean alternate;

    public LifetimeAllocator(MemoryPool pool, boolean alternateEnds) {
        this.pool = pool;
        this.alternate = alternateEnds;
    }

    public MemoryPlan place(List<BufferRequest> requests) throws OutOfMemoryException {
        List<BufferRequest> order = new ArrayList<>(requests);
        order.sort(Comparator.comparingInt(BufferRequest::firstUse));
        List<Placement> placed = new ArrayList<>();
        boolean top = true;
        for (BufferRequest r : order) {
            long size = pool.alignUp(r.size());
            List<Placement> live = new ArrayList<>();
            for (Placement p : placed) {
                if (p.request().lastUse() >= r.firstUse() && p.request().firstUse() <= r.lastUse()) {
                    live.add(p);
                }
            }
            long addr;
            if (r.pinnedAt() >= 0) {
                addr = r.pinnedAt();
                if (addr + size > pool.capacity() || overlapsAny(live, addr, size)) {
                    throw oom(r, size, live, "its fixed address " + addr + " is taken or out of range");
                }
            } else {
                addr = findGap(live, size, alternate && top);
                if (addr < 0) {
                    throw oom(r, size, live, null);
                }
                top = !top;
            }
            placed.add(new Placement(r, addr));
        }
        return new MemoryPlan(pool, placed);
    }

    private long findGap(List<Placement> live, long size, boolean fromTop) {
        List<long[]> gaps = freeGaps(live);
        if (fromTop) {
            for (int i = gaps.size() - 1; i >= 0; i--) {
                long[] g = gaps.get(i);
                if (g[1] - g[0] >= size) {
                    long start = (g[1] - size) / pool.align() * pool.align();
                    if (start >= g[0]) {
                        return start;
                    }
                }
            }
        } else {
            for (long[] g : gaps) {
                long start = pool.alignUp(g[0]);
                if (g[1] - start >= size) {
                    return start;
                }
            }
        }
        return -1;
    }

    private List<long[]> freeGaps(List<Placement> live) {
        List<Placement> sorted = new ArrayList<>(live);
        sorted.sort(Comparator.comparingLong(Placement::address));
        List<long[]> gaps = new ArrayList<>();
        long cursor = 0;
        for (Placement p : sorted) {
            if (p.address() > cursor) {
                gaps.add(new long[] {cursor, p.address()});
            }
            cursor = Math.max(cursor, p.end());
        }
        if (cursor < pool.capacity()) {
            gaps.add(new long[] {cursor, pool.capacity()});
        }
        return gaps;
    }

    private static boolean overlapsAny(List<Placement> live, long addr, long size) {
        for (Placement p : live) {
            if (addr < p.end() && p.address() < addr + size) {
                return true;
            }
        }
        return false;
    }

    private OutOfMemoryException oom(BufferRequest r, long size, List<Placement> live, String why) {
        long used = 0;
        for (Placement p : live) {
            used += p.request().size();
        }
        long free = pool.capacity() - used;
        long largest = 0;
        for (long[] g : freeGaps(live)) {
            largest = Math.max(largest, g[1] - g[0]);
        }
        String need = bytes(size * pool.unit());
        StringBuilder msg = new StringBuilder();
        msg.append(pool.name()).append(" is full at layer '").append(r.name()).append("': it needs ").append(need);
        if (why != null) {
            msg.append(" but ").append(why);
        } else if (free >= size) {
            msg.append("; ").append(bytes(free * pool.unit())).append(" are free but the largest free block is ")
                    .append(bytes(largest * pool.unit())).append(" (fragmentation)");
        } else {
            msg.append(" while ").append(bytes(used * pool.unit())).append(" of ").append(bytes(pool.capacity() * pool.unit()))
                    .append(" hold other live feature maps");
        }
        msg.append(". Fix: reduce this layer's feature map (fewer channels, a smaller input, or stride/pool earlier).");
        return new OutOfMemoryException(msg.toString(), r.name(), r.firstUse());
    }

    static String bytes(long b) {
        if (b >= 1 << 20) {
            return String.format(java.util.Locale.ROOT, "%.2f MiB", b / 1048576.0);
        }
        if (b >= 1 << 10) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        return b + " B";
    }
}
