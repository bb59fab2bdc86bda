package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.memory.BufferRequest;
import k210studio.converter.memory.LifetimeAllocator;
import k210studio.converter.memory.MemoryPlan;
import k210studio.converter.memory.MemoryPool;
import k210studio.converter.memory.OutOfMemoryException;

/**
 * Places every value of a {@link K210Program}: feature maps in KPU RAM (64-byte lines, 2 MiB, alternating ends like
 * nncase 0.1) and everything else in the main-memory scratch buffer (8-byte aligned). A value lives from the step
 * that writes it to the last step that reads it; model inputs from the start, model outputs to the end.
 */
public final class MemoryPlanner {
    private MemoryPlanner() {
    }

    /** The two plans, with addresses written into the program's values. */
    public record Result(MemoryPlan kpu, MemoryPlan main) {
    }

    public static Result plan(K210Program program) throws OutOfMemoryException {
        Map<PlannedValue, int[]> life = new IdentityHashMap<>();
        Map<PlannedValue, Boolean> order = new LinkedHashMap<>();
        for (PlannedValue in : program.inputs()) {
            life.put(in, new int[] {0, 0});
            order.put(in, true);
        }
        List<PlanStep> steps = program.steps();
        for (int i = 0; i < steps.size(); i++) {
            for (PlannedValue v : steps.get(i).writes()) {
                life.putIfAbsent(v, new int[] {i, i});
                order.put(v, true);
            }
            final int step = i;
            for (PlannedValue v : steps.get(i).reads()) {
                int[] span = life.computeIfAbsent(v, k -> new int[] {step, step});
                span[1] = Math.max(span[1], i);
                order.put(v, true);
            }
        }
        int end = steps.size();
        for (PlannedValue out : program.outputs()) {
            life.get(out)[1] = end;
        }
        List<BufferRequest> kpuReq = new ArrayList<>();
        List<BufferRequest> mainReq = new ArrayList<>();
        Map<String, PlannedValue> byKey = new LinkedHashMap<>();
        int n = 0;
        for (PlannedValue v : order.keySet()) {
            String key = v.name() + "#" + (n++);
            byKey.put(key, v);
            int[] span = life.get(v);
            BufferRequest r = new BufferRequest(key, v.sizeUnits(), span[0], span[1], v.pinnedAtZero() ? 0 : -1);
            if (v.storage() == Storage.KPU) {
                kpuReq.add(r);
            } else {
                mainReq.add(r);
            }
        }
        MemoryPlan kpu;
        MemoryPlan main;
        try {
            kpu = new LifetimeAllocator(MemoryPool.KPU_RAM, true).place(kpuReq);
            main = new LifetimeAllocator(MemoryPool.mainMemory(Long.MAX_VALUE / 4), false).place(mainReq);
        } catch (OutOfMemoryException e) {
            String layer = byKey.containsKey(e.bufferName()) ? byKey.get(e.bufferName()).name() : e.bufferName();
            throw new OutOfMemoryException(e.getMessage().replace(e.bufferName(), layer), layer, e.step());
        }
        kpu.placements().forEach(p -> byKey.get(p.request().name()).setAddress(p.address()));
        main.placements().forEach(p -> byKey.get(p.request().name()).setAddress(p.address()));
        return new Result(kpu, main);
    }
}
