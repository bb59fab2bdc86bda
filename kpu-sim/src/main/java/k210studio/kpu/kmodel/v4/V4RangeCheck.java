package k210studio.kpu.kmodel.v4;

import java.util.Map;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.MemoryRange;

/**
 * Checks that every memory range of a model lies inside its pool: const ranges inside the
 * constants blob, main ranges inside {@code main_mem}, KPU ranges inside the 2 MiB KPU RAM.
 */
final class V4RangeCheck {
    private V4RangeCheck() {
    }

    static void check(V4Model model) throws KmodelFormatException {
        int ni = model.inputs().size();
        for (int i = 0; i < ni; i++) {
            check(model, model.inputs().get(i), V4Header.BYTES + 16L * i, "input range " + i);
        }
        for (int i = 0; i < model.outputs().size(); i++) {
            check(model, model.outputs().get(i), V4Header.BYTES + 32L * ni + 16L * i, "output range " + i);
        }
        long[] bodies = model.bodyOffsets();
        for (int i = 0; i < model.nodes().size(); i++) {
            V4Node n = model.nodes().get(i);
            for (Map.Entry<String, MemoryRange> e : V4BodyRanges.of(n.body()).entrySet()) {
                check(model, e.getValue(), bodies[i], "node " + i + " (" + n.opcode().spelling() + ") " + e.getKey()
                        + " (body at 0x" + Long.toHexString(bodies[i]) + ")");
            }
        }
    }

    static long poolSize(V4Model model, MemoryRange r) {
        switch (r.memoryType()) {
            case CONST: return model.constantsUnsafe().length;
            case MAIN: return model.mainMemSize();
            default: return V4Model.KPU_RAM_BYTES;
        }
    }

    private static void check(V4Model model, MemoryRange r, long offset, String what) throws KmodelFormatException {
        long pool = poolSize(model, r);
        if (r.end() > pool) {
            throw V4FormatErrors.at(offset, what, r + " ends at " + r.end() + ", beyond its "
                    + r.memoryType().name().toLowerCase() + " pool of " + pool + " bytes; fix the range or the"
                    + " header's pool size");
        }
    }
}
