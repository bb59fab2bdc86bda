package k210studio.kpu.kmodel.v4.runtime;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.v4.V4Model;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.KpuUploadBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.V4Body;

/**
 * KPU RAM occupancy after each node, for the trace: a feature map written to KPU RAM (a KPU input,
 * a kpu_upload, a kpu_conv2d output) is live from its write until the last kpu_conv2d that reads it
 * before anything overwrites it. Computed once from the model (addresses and register shapes only).
 */
final class KpuLiveness {
    private KpuLiveness() {
    }

    private record Region(long start, long end) {
        boolean overlaps(Region o) {
            return start < o.end && o.start < end;
        }
    }

    /** Bytes of live KPU maps after node i, for every node. */
    static long[] occupancy(V4Model m) {
        int n = m.nodes().size();
        List<Region> reads = new ArrayList<>();
        List<Region> writes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            V4Body b = m.nodes().get(i).body();
            reads.add(null);
            writes.add(null);
            if (b instanceof KpuUploadBody u && u.output().memoryType() == MemoryType.KPU) {
                writes.set(i, new Region(u.output().start(), u.output().end()));
            } else if (b instanceof KpuConv2dBody k) {
                long size = k.register(KpuConv2dBody.REG_IMAGE_SIZE);
                long addr = k.register(KpuConv2dBody.REG_IMAGE_ADDR);
                int batches = Math.max(1, k.batches());
                long src = (addr & 0x7FFF) * 64;
                long dst = ((addr >>> 32) & 0x7FFF) * 64;
                reads.set(i, new Region(src, src + KpuKernels.kpuBytes(batches, k.inputChannels(),
                        (int) ((size >>> 10) & 0x1FF) + 1, (int) (size & 0x3FF) + 1)));
                writes.set(i, new Region(dst, dst + KpuKernels.kpuBytes(batches, k.outputChannels(),
                        (int) ((size >>> 42) & 0x1FF) + 1, (int) ((size >>> 32) & 0x3FF) + 1)));
            }
        }
        List<long[]> lives = new ArrayList<>(); // {firstNodeLive, lastNodeLive, bytes}
        for (MemoryRange in : m.inputs()) {
            if (in.memoryType() == MemoryType.KPU) {
                Region w = new Region(in.start(), in.end());
                lives.add(new long[] {0, lastUse(w, -1, reads, writes), w.end - w.start});
            }
        }
        for (int i = 0; i < n; i++) {
            Region w = writes.get(i);
            if (w != null) {
                lives.add(new long[] {i, lastUse(w, i, reads, writes), w.end - w.start});
            }
        }
        long[] occ = new long[n];
        for (long[] l : lives) {
            for (long k = l[0]; k < l[1] && k < n; k++) {
                occ[(int) k] += l[2];
            }
        }
        return occ;
    }

    /** Index of the last node reading w after node `from`, before a write overlaps it (from when unread). */
    private static long lastUse(Region w, int from, List<Region> reads, List<Region> writes) {
        long last = from;
        for (int j = from + 1; j < reads.size(); j++) {
            Region r = reads.get(j);
            if (r != null && r.overlaps(w)) {
                last = j;
            }
            Region o = writes.get(j);
            if (o != null && o.overlaps(w) && (r == null || !r.overlaps(w))) {
                break;
            }
        }
        return last;
    }
}
